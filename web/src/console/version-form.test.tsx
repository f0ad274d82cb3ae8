import { screen, waitFor } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { fakeCsrfToken, fakeOperatorSession } from "../../test/fake-operator-session.js";
import { fakeServer, renderWithServices } from "../../test/test-services.js";
import type { VersionView } from "./console-api.js";
import { ConsolePage } from "./console-page.js";

const parent: VersionView = {
  id: "sentiment@v1",
  task: "sentiment",
  version: "v1",
  kind: "classifier",
  status: "active",
  labels: ["active"],
  source: "file",
  parentId: null,
  changelog: {},
  contentHash: "abc123",
  createdAt: "2026-12-06T00:00:00.000Z",
  retiredAt: null,
  definition: {
    systemPrompt: "判断情感。",
    labels: ["正面", "负面"],
    fewShot: [{ input: "好吃", label: "正面" }],
  },
};

afterEach(() => {
  window.location.hash = "";
});

function setup() {
  const created: unknown[] = [];
  const server = fakeServer({
    "/api/session": fakeOperatorSession({ signedIn: true }).route,
    "/api/admin/prompts/sentiment%40v1": () => Response.json({ version: parent, moves: [] }),
    "/api/admin/prompts": (request) => {
      if (request.method === "GET") return Response.json({ versions: [parent] });
      created.push(request.body);
      const body = request.body as { system?: string; version: string };
      if (body.system === undefined)
        return Response.json(
          { error: { code: "PROMPT_VERSION_UNCHANGED", message: "would be identical to its parent" } },
          { status: 400 },
        );
      return Response.json(
        { version: { ...parent, id: `sentiment@${body.version}`, status: "draft" }, created: true },
        { status: 201 },
      );
    },
  });
  window.location.hash = "#/console/versions/sentiment%40v1/new";
  renderWithServices(<ConsolePage />, { fetchFn: server.fetchFn });
  return { server, created };
}

describe("the create-version form", () => {
  it("starts as the parent, shows a no-change refusal readably, then creates the changed version", async () => {
    const { server, created } = setup();
    const user = userEvent.setup();
    const system = (await screen.findByTestId("form-system")) as HTMLTextAreaElement;
    expect(system.value).toBe("判断情感。");
    expect((screen.getByTestId("form-version") as HTMLInputElement).value).toBe("v2");
    expect((screen.getByTestId("form-labels") as HTMLInputElement).value).toBe("正面, 负面");
    expect((screen.getByLabelText("示例输入 1") as HTMLInputElement).value).toBe("好吃");

    await user.click(screen.getByTestId("form-create"));
    expect((await screen.findByTestId("form-problem")).textContent).toBe("请填写变更说明。");
    expect(created).toHaveLength(0);

    await user.type(screen.getByTestId("form-changelog"), "什么都没改");
    await user.click(screen.getByTestId("form-create"));
    expect((await screen.findByTestId("form-problem")).textContent).toContain("新版本与父版本完全相同");

    await user.type(system, "转折句以后半句为准。");
    await user.click(screen.getByTestId("form-create"));
    await waitFor(() => expect(window.location.hash).toBe("#/console/versions/sentiment%40v2"));
    expect(created[1]).toEqual({
      task: "sentiment",
      version: "v2",
      parentId: "sentiment@v1",
      system: "判断情感。转折句以后半句为准。",
      changelog: { summary: "什么都没改" },
    });
    const post = server.requests.filter((r) => r.method === "POST" && r.url === "/api/admin/prompts");
    expect(post.every((r) => r.headers["x-csrf-token"] === fakeCsrfToken)).toBe(true);
  });
});
