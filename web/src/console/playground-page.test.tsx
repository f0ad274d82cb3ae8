import { screen, waitFor, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { fakeOperatorSession } from "../../test/fake-operator-session.js";
import { fakeServer, renderWithServices, type Route } from "../../test/test-services.js";
import type { VersionView } from "./console-api.js";
import { ConsolePage } from "./console-page.js";

const version = (id: string, status: string): VersionView => ({
  id,
  task: "sentiment",
  version: id.split("@")[1]!,
  kind: "classifier",
  status,
  labels: [],
  source: "human",
  parentId: null,
  changelog: {},
  contentHash: id,
  createdAt: "2026-12-06T00:00:00.000Z",
  retiredAt: null,
  definition: { systemPrompt: "x", labels: ["正面", "负面"] },
});

const stream = (events: [string, unknown][]) =>
  new Response(events.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`).join(""), {
    headers: { "content-type": "text/event-stream" },
  });

const start = {
  task: "sentiment",
  kind: "classifier",
  baselineId: "sentiment@v1",
  candidateId: "sentiment@v2",
  total: 2,
};
const rows = [
  {
    index: 0,
    input: "味道一般,但是很失望",
    expected: null,
    baseline: { label: "正面", confidence: 0.6 },
    candidate: { label: "负面", confidence: 0.7 },
    differ: true,
  },
  {
    index: 1,
    input: "很好吃",
    expected: null,
    baseline: { label: "正面", confidence: 0.9 },
    candidate: { label: "正面", confidence: 0.8 },
    differ: false,
  },
];
const summary = { total: 2, compared: 2, agreed: 1, agreement: 0.5, failed: 0, accuracy: null };

afterEach(() => {
  window.location.hash = "";
});

function setup(run: Route) {
  const server = fakeServer({
    "/api/session": fakeOperatorSession({ signedIn: true }).route,
    "/api/admin/prompts": () =>
      Response.json({ versions: [version("sentiment@v1", "active"), version("sentiment@v2", "draft")] }),
    "/api/admin/playground/runs": run,
  });
  window.location.hash = "#/console/playground/sentiment%40v2";
  renderWithServices(<ConsolePage />, { fetchFn: server.fetchFn });
  return server;
}

describe("the playground page", () => {
  it("sends one input per typed line and shows both versions side by side, differences highlighted", async () => {
    const server = setup(() =>
      stream([
        ["start", start],
        ["row", { row: rows[0], summary: { ...summary, total: 1, compared: 1, agreed: 0, agreement: 0 } }],
        ["row", { row: rows[1], summary }],
        ["summary", summary],
      ]),
    );
    const user = userEvent.setup();
    await user.type(await screen.findByTestId("playground-inputs"), "味道一般,但是很失望\n\n很好吃\n");
    expect(screen.getByTestId("playground-set-size").textContent).toBe("共 2 条输入");
    await user.click(screen.getByTestId("playground-run"));
    const table = await screen.findByTestId("playground-results");
    const shown = within(table).getAllByTestId("playground-row");
    expect(shown.map((row) => row.getAttribute("data-differ"))).toEqual(["true", "false"]);
    expect(shown[0]!.textContent).toContain("不一致");
    expect(shown[0]!.textContent).toContain("负面");
    expect(screen.getByTestId("playground-summary").textContent).toContain("一致率：1/2（50.0%）");
    const sent = server.requests.find((r) => r.url === "/api/admin/playground/runs")!.body;
    expect(sent).toEqual({
      versionId: "sentiment@v2",
      inputs: [{ input: "味道一般,但是很失望" }, { input: "很好吃" }],
      stream: true,
    });
  });

  it("shows an ENGINE_BUSY refusal as the engine being busy", async () => {
    setup(() => Response.json({ error: { code: "ENGINE_BUSY", message: "queue full" } }, { status: 503 }));
    const user = userEvent.setup();
    await user.type(await screen.findByTestId("playground-inputs"), "好");
    await user.click(screen.getByTestId("playground-run"));
    await waitFor(() =>
      expect(screen.getByTestId("playground-problem").textContent).toBe("模型正忙，请稍后再试。"),
    );
  });
});
