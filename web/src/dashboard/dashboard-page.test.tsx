import { screen, waitFor, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { fakeServer, renderWithServices, type Route } from "../../test/test-services.js";
import type { DashboardData } from "./dashboard-data.js";
import { DashboardPage } from "./dashboard-page.js";
import { fakeOperatorSession } from "../../test/fake-operator-session.js";

const emptyData: DashboardData = {
  generatedAt: "2025-03-05T08:00:00.000Z",
  tasks: [
    { task: "sentiment", kind: "classifier", labels: ["正面", "负面"] },
    { task: "chat", kind: "generator" },
  ],
  series: [],
  totals: [],
  misclassified: [],
  promptVersions: [
    {
      id: "sentiment@v1",
      task: "sentiment",
      version: "v1",
      kind: "classifier",
      labels: ["正面", "负面"],
      systemPrompt: "你是一个冷酷的情感分析师",
      status: "active",
      source: "file",
      createdAt: "2025-03-01T00:00:00.000Z",
    },
  ],
};

const metrics = {
  interactions: 12,
  feedbackEvents: 6,
  explicitFeedback: 4,
  coverage: 0.333,
  labelled: 4,
  correct: 3,
  accuracy: 0.75,
  accuracyLow: 0.301,
  accuracyHigh: 0.954,
  ratings: 0,
  meanRating: null,
  exits: 1,
  exitRate: 0.083,
  exitsThroughReplies: 2,
  exitThroughReplyRate: 0.167,
  scoredTurns: 12,
  meanScore: 0.62,
  meanScoreLow: 0.5,
  meanScoreHigh: 0.74,
  badTurns: 3,
  badTurnRate: 0.25,
  badTurnRateLow: 0.089,
  badTurnRateHigh: 0.532,
};

const fullData: DashboardData = {
  ...emptyData,
  series: [
    { task: "sentiment", promptVersion: "sentiment@v1", bucketStart: "2025-03-04T00:00:00.000Z", ...metrics },
  ],
  totals: [{ task: "sentiment", promptVersion: "sentiment@v1", ...metrics }],
  misclassified: [
    {
      interactionId: "i1",
      task: "sentiment",
      promptVersion: "sentiment@v1",
      input: "这个结果真是令人失望，不过还能接受",
      predicted: "正面",
      corrected: "负面",
      reasons: ["mixed", "sarcasm"],
      createdAt: "2025-03-04T10:00:00.000Z",
    },
  ],
};

function setup(route: Route, session = fakeOperatorSession()) {
  const server = fakeServer({ "/api/admin/dashboard": route, "/api/session": session.route });
  renderWithServices(<DashboardPage />, { fetchFn: server.fetchFn });
  return server;
}

async function signIn(token: string) {
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText("管理令牌（ADMIN_TOKEN 或 ADMIN_TOKENS 中的一个）"), token);
  await user.click(screen.getByTestId("dashboard-token-submit"));
  return user;
}

describe("DashboardPage", () => {
  it("exchanges the token for a session and keeps the token out of the browser's storage", async () => {
    const server = setup(() => Response.json(emptyData));
    await signIn("s3cret");
    await screen.findByTestId("dashboard-empty");
    expect(server.requests.find((r) => r.method === "POST")?.body).toEqual({ token: "s3cret" });
    const request = server.requests.find((r) => r.url.startsWith("/api/admin/dashboard"));
    expect(request?.url).toBe("/api/admin/dashboard?bucket=day&days=30");
    expect(request?.headers.authorization).toBeUndefined();
    expect(JSON.stringify({ ...window.sessionStorage, ...window.localStorage })).not.toContain("s3cret");
    expect(screen.getByTestId("signed-in-as").textContent).toContain("alice");
    // Prompt versions show even before any traffic.
    expect(within(screen.getByTestId("prompt-versions")).getByText("sentiment@v1").textContent).toBe(
      "sentiment@v1",
    );
  });

  it.each<[number, string, string]>([
    [401, "UNAUTHORIZED", "令牌不正确，请重新输入。"],
    [403, "ADMIN_DISABLED", "服务器未启用管理功能：请设置 ADMIN_TOKEN 环境变量后重启服务。"],
  ])("explains a %i and asks again", async (status, code, text) => {
    setup(() => Response.json(emptyData), fakeOperatorSession({ refusal: { status, code } }));
    await signIn("wrong");
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe(text);
    expect(screen.getByTestId("dashboard-token-input").getAttribute("aria-invalid")).toBe("true");
  });

  it("shows charts per task, the totals and the misclassified inputs with their corrections", async () => {
    setup(() => Response.json(fullData));
    await signIn("s3cret");
    await screen.findByTestId("totals-table");
    for (const chart of ["accuracy", "volume", "exit"]) {
      expect(screen.getByTestId(`chart-${chart}-sentiment`).getAttribute("data-has-data")).toBe("true");
    }
    // No ratings for the classifier: no rating chart.
    expect(screen.queryByTestId("chart-rating-sentiment")).toBeNull();
    const totals = within(screen.getByTestId("totals-table")).getAllByRole("row")[1]!;
    expect(totals.textContent).toContain("75.0%");
    expect(totals.textContent).toContain("[30.1%, 95.4%] n=4");
    expect(within(totals).getByTestId("exits-through-replies").textContent).toBe("2 (16.7%)");
    expect(within(totals).getByTestId("quality-score").textContent).toBe("0.62 [0.50, 0.74] n=12");
    expect(within(totals).getByTestId("bad-turn-rate").textContent).toBe("25.0% [8.9%, 53.2%] 3/12");
    const misclassified = within(screen.getByTestId("misclassified-table")).getAllByRole("row")[1]!;
    expect(
      within(misclassified)
        .getAllByRole("cell")
        .map((cell) => cell.textContent)
        .slice(0, 4),
    ).toEqual(["这个结果真是令人失望，不过还能接受", "正面", "负面", "矛盾情绪、讽刺"]);
  });

  it("shows no exit rate for a classifier without exits, and 0% for a chat task without any", async () => {
    const noExits = { ...metrics, exits: 0, exitRate: 0 };
    setup(() =>
      Response.json({
        ...fullData,
        totals: [
          { task: "sentiment", promptVersion: "sentiment@v1", ...noExits },
          { task: "chat", promptVersion: "chat@v1", ...noExits },
        ],
      }),
    );
    await signIn("s3cret");
    const [, sentiment, chat] = within(await screen.findByTestId("totals-table")).getAllByRole("row");
    // The exit rate is fourth from the end, before exits via reply, the quality score and the bad-turn rate.
    expect(within(sentiment!).getAllByRole("cell").at(-4)!.textContent).toBe("–");
    expect(within(chat!).getAllByRole("cell").at(-4)!.textContent).toBe("0.0%");
  });

  it("reuses the session the browser holds and can sign out", async () => {
    const session = fakeOperatorSession({ signedIn: true });
    const server = setup(() => Response.json(emptyData), session);
    await screen.findByTestId("dashboard-empty");
    await userEvent.setup().click(screen.getByTestId("dashboard-sign-out"));
    await waitFor(() =>
      expect((screen.getByTestId("dashboard-token-input") as HTMLInputElement).value).toBe(""),
    );
    expect(server.requests.at(-1)?.method).toBe("DELETE");
    expect(session.state.signedIn).toBe(false);
  });
});
