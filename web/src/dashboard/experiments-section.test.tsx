import { screen, waitFor, within } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../api/api-error.js";
import { fakeServer, renderWithServices } from "../../test/test-services.js";
import { DashboardPage } from "./dashboard-page.js";
import { fakeCsrfToken, fakeOperatorSession } from "../../test/fake-operator-session.js";
import type { ExperimentRow } from "./dashboard-data.js";
import { ExperimentsSection } from "./experiments-section.js";

function arm(labelled: number, errors: number) {
  return {
    assignedUnits: 50,
    requests: 90,
    engineErrors: 0,
    slowRequests: 2,
    labelled,
    errors,
    labelCounts: {},
  };
}

const running: ExperimentRow = {
  id: "exp-sentiment-v3-aa11",
  task: "sentiment",
  control: "sentiment@v2",
  candidate: "sentiment@v3",
  status: "running",
  share: 0.5,
  stageIndex: 1,
  rampShares: [0.1, 0.5, 1],
  startedAt: "2025-03-01T00:00:00.000Z",
  stageStartedAt: "2025-03-04T00:00:00.000Z",
  endedAt: null,
  startedBy: "analysis",
  startReason: "Analysis recommended sentiment@v3 (fewer sarcasm errors).",
  decisionCount: 3,
  // Deliberately oldest first: the table must still put the newest decision on top.
  decisions: [
    {
      id: 1,
      action: "start",
      reasonCode: "started_automatically",
      reason: "Canary started at 10%.",
      actor: "analysis",
      decidedAt: "2025-03-01T00:00:00.000Z",
      stageIndex: 0,
      statistics: null,
    },
    {
      id: 2,
      action: "ramp",
      reasonCode: "candidate_superior",
      reason: "Candidate error rate 8.0% is significantly below control's 20.0%.",
      actor: "scheduler",
      decidedAt: "2025-03-04T00:00:00.000Z",
      stageIndex: 0,
      statistics: { arms: { control: arm(40, 8), candidate: arm(25, 2) }, latencyThresholdMs: 40 },
    },
    {
      id: 3,
      action: "continue",
      reasonCode: "minimum_duration_not_met",
      reason: "Waiting: the stage has run 20.0 h of its minimum 72.0 h.",
      actor: "scheduler",
      decidedAt: "2025-03-04T20:00:00.000Z",
      stageIndex: 1,
      statistics: { arms: { control: arm(0, 0), candidate: arm(4, 1) } },
    },
  ],
};

const rolledBack: ExperimentRow = {
  ...running,
  id: "exp-chat-v2-bb22",
  task: "chat",
  control: "chat@v1",
  candidate: "chat@v2",
  status: "rolled_back",
  share: 0,
  stageIndex: 0,
  endedAt: "2025-02-20T00:00:00.000Z",
  startReason: "",
  decisionCount: 120,
  decisions: [
    {
      id: 9,
      action: "rollback",
      reasonCode: "guardrail_degraded",
      reason: "Guardrail exit_rate degraded: candidate 30.0% vs control 10.0%.",
      actor: "scheduler",
      decidedAt: "2025-02-20T00:00:00.000Z",
      stageIndex: 0,
      statistics: { arms: { control: arm(10, 1), candidate: arm(10, 5) } },
    },
  ],
};

function rowsOf(experimentId: string): string[][] {
  const table = within(screen.getByTestId(`experiment-${experimentId}`)).getByRole("table");
  return (
    within(table)
      .getAllByRole("row")
      .slice(1)
      // The time column is left out: it is formatted in the test machine's time zone.
      .map((row) => Array.from((row as HTMLTableRowElement).cells, (cell) => cell.textContent ?? "").slice(1))
  );
}

describe("ExperimentsSection", () => {
  it("shows each experiment's versions, status, share and its decisions newest first (zh)", () => {
    renderWithServices(<ExperimentsSection experiments={[running, rolledBack]} />);
    const section = screen.getByTestId("experiments");
    expect(within(section).getByRole("heading", { level: 2 }).textContent).toBe("实验（灰度发布）");

    const first = screen.getByTestId("experiment-exp-sentiment-v3-aa11");
    expect(within(first).getByRole("heading", { level: 3 }).textContent).toBe(
      "sentiment：对照 sentiment@v2 → 候选 sentiment@v3",
    );
    expect(within(first).getByTestId("experiment-status").textContent).toBe("状态: 进行中");
    expect(within(first).getByTestId("experiment-share").textContent).toBe("50% (第 2/3 阶段)");
    // Started by the analysis: its reason in Chinese, the server's English only as the tooltip.
    const reason = within(first).getByTestId("experiment-start-reason");
    expect(reason.textContent).toBe("分析任务的候选版本 sentiment@v3 通过了回放检验，自动开始灰度");
    expect(reason.getAttribute("title")).toBe("Analysis recommended sentiment@v3 (fewer sarcasm errors).");
    expect(within(first).getByRole("table").querySelector("caption")?.textContent).toBe(
      "发布决策（最新在前，共 3 条）",
    );
    expect(rowsOf(running.id)).toEqual([
      [
        "继续观察",
        "本阶段尚未达到最短运行时间",
        "对照：标注 0，错误 0（错误率 –）候选：标注 4，错误 1（错误率 25.0%）",
      ],
      [
        "扩大比例",
        "候选版本错误率显著更低",
        "对照：标注 40，错误 8（错误率 20.0%）候选：标注 25，错误 2（错误率 8.0%）",
      ],
      ["开始", "分析任务提出新版本后自动开始灰度", "–"],
    ]);

    const second = screen.getByTestId("experiment-exp-chat-v2-bb22");
    expect(within(second).getByTestId("experiment-status").textContent).toBe("状态: 已回滚");
    // Ended experiments show no stage, and the caption says only the latest decisions are listed.
    expect(within(second).getByTestId("experiment-share").textContent).toBe("0%");
    expect(within(second).getByRole("table").querySelector("caption")?.textContent).toBe(
      "发布决策（最新在前，显示最近 1 条，共 120 条）",
    );
    expect(rowsOf(rolledBack.id)[0]?.slice(0, 2)).toEqual(["回滚", "护栏指标显著变差"]);
    // No English sentence in the Chinese page (figures come from a decision's statistics when it has them).
    expect(within(first).queryByText("Canary started at 10%.")).toBeNull();
  });

  it("localises status, actions and statistics in English", () => {
    renderWithServices(<ExperimentsSection experiments={[running, rolledBack]} />, { locale: "en" });
    const first = screen.getByTestId("experiment-exp-sentiment-v3-aa11");
    expect(within(first).getByTestId("experiment-status").textContent).toBe("Status: Running");
    expect(within(first).getByTestId("experiment-share").textContent).toBe("50% (stage 2 of 3)");
    expect(within(first).getByTestId("experiment-start-reason").textContent).toBe(
      "The analysis's candidate sentiment@v3 passed the replay gate, so its canary started on its own",
    );
    expect(rowsOf(running.id).map((row) => row[0])).toEqual(["Continue", "Ramp up", "Start"]);
    expect(rowsOf(running.id)[1]?.[1]).toBe(
      "Candidate's error rate is significantly lowerCandidate error rate 8.0% is significantly below control's 20.0%.",
    );
    expect(rowsOf(running.id)[1]?.[2]).toBe(
      "Control: 40 labelled, 8 wrong (error rate 20.0%)Candidate: 25 labelled, 2 wrong (error rate 8.0%)",
    );
    const second = screen.getByTestId("experiment-exp-chat-v2-bb22");
    expect(within(second).getByTestId("experiment-status").textContent).toBe("Status: Rolled back");
    expect(rowsOf(rolledBack.id).map((row) => row[0])).toEqual(["Roll back"]);
  });

  it("shows an operator's own start reason as typed, in either language", () => {
    const byHand = { ...running, startedBy: "console:alice", startReason: "矛盾情绪的错误率高" };
    for (const locale of ["zh", "en"] as const) {
      const { unmount } = renderWithServices(<ExperimentsSection experiments={[byHand]} />, { locale });
      expect(screen.getByTestId("experiment-start-reason").textContent).toBe("矛盾情绪的错误率高");
      unmount();
    }
  });

  it("names a reason code it doesn't know in Chinese, and shows the server's sentence in English", () => {
    const decision = {
      ...running.decisions[0]!,
      reasonCode: "from_a_newer_server",
      reason: "Something new.",
    };
    const { unmount } = renderWithServices(
      <ExperimentsSection experiments={[{ ...running, decisions: [decision] }]} />,
    );
    expect(rowsOf(running.id)[0]?.[1]).toBe("原因代码：from_a_newer_server");
    unmount();
    renderWithServices(<ExperimentsSection experiments={[{ ...running, decisions: [decision] }]} />, {
      locale: "en",
    });
    expect(rowsOf(running.id)[0]?.[1]).toBe("Something new.");
  });

  it("gives a decision's figures in Chinese from its statistics", () => {
    const decision = {
      ...running.decisions[0]!,
      reasonCode: "minimum_duration_not_met",
      reason: "Waiting: the stage has run 20.0 h of its minimum 72.0 h.",
      statistics: { stage: { hoursInStage: 20, minimumDurationHours: 72 } },
    };
    renderWithServices(<ExperimentsSection experiments={[{ ...running, decisions: [decision] }]} />);
    expect(rowsOf(running.id)[0]?.[1]).toBe("本阶段尚未达到最短运行时间本阶段已运行 20 小时（最短 72 小时）");
  });

  it("names each decisions table by its experiment and caption, with column headers", () => {
    renderWithServices(<ExperimentsSection experiments={[running]} />, { locale: "en" });
    const region = screen.getByRole("region", {
      name: "sentiment: control sentiment@v2 → candidate sentiment@v3 Rollout decisions (newest first, 3 in all)",
    });
    expect(
      within(region)
        .getAllByRole("columnheader")
        .map((th) => th.textContent),
    ).toEqual(["Time", "Decision", "Reason", "Key statistics"]);
  });

  it("says so when there are no experiments", () => {
    renderWithServices(<ExperimentsSection experiments={[]} />);
    expect(screen.getByTestId("experiments-empty").textContent).toBe(
      "还没有灰度实验。新的提示词版本开始灰度后，这里会列出每一次发布决策及其原因。",
    );
    expect(within(screen.getByTestId("experiments")).queryByRole("table")).toBeNull();
  });
});

describe("ExperimentsSection actions", () => {
  it("offers promote and roll back only for running or halted experiments, and only when it may act", () => {
    const halted = { ...running, id: "exp-halted", status: "halted" as const };
    renderWithServices(<ExperimentsSection experiments={[running, halted, rolledBack]} onAction={vi.fn()} />);
    for (const id of [running.id, halted.id]) {
      const card = screen.getByTestId(`experiment-${id}`);
      expect(within(card).getByTestId("experiment-promote").textContent).toBe("全量发布候选版本");
      expect(within(card).getByTestId("experiment-rollback").textContent).toBe("回滚候选版本");
    }
    expect(
      within(screen.getByTestId(`experiment-${rolledBack.id}`)).queryByTestId("experiment-promote"),
    ).toBeNull();
  });

  it("is read-only without an action handler", () => {
    renderWithServices(<ExperimentsSection experiments={[running]} />);
    expect(screen.queryByTestId("experiment-promote")).toBeNull();
  });

  it("asks for a reason, then sends the candidate, the action and the reason", async () => {
    const onAction = vi.fn(() => Promise.resolve());
    const user = userEvent.setup();
    renderWithServices(<ExperimentsSection experiments={[running]} onAction={onAction} />);
    await user.click(screen.getByTestId("experiment-rollback"));
    const confirm = screen.getByTestId("experiment-action-confirm");
    expect(confirm.textContent).toBe("确认回滚 sentiment@v3");
    expect((confirm as HTMLButtonElement).disabled).toBe(true);
    await user.type(screen.getByLabelText("原因（会记录在发布历史中）"), "  用户投诉变多  ");
    await user.click(confirm);
    expect(onAction).toHaveBeenCalledWith({
      versionId: "sentiment@v3",
      action: "rollback",
      reason: "用户投诉变多",
    });
    // Done: back to the two buttons.
    await waitFor(() =>
      expect(screen.getByTestId("experiment-promote").textContent).toBe("全量发布候选版本"),
    );
    expect(screen.queryByTestId("experiment-action-reason")).toBeNull();
  });

  it("keeps the form and shows why when the server refuses", async () => {
    const onAction = vi.fn(() =>
      Promise.reject(new ApiError("ROLLOUT_CONFLICT", "The experiment already ended", 409)),
    );
    const user = userEvent.setup();
    renderWithServices(<ExperimentsSection experiments={[running]} onAction={onAction} />);
    await user.click(screen.getByTestId("experiment-promote"));
    await user.type(screen.getByTestId("experiment-action-reason"), "准确率更高");
    await user.click(screen.getByTestId("experiment-action-confirm"));
    expect((await screen.findByTestId("experiment-action-error")).textContent).toBe(
      "灰度状态已变化，这个操作不再适用，请刷新后重试。",
    );
    expect((screen.getByTestId("experiment-action-reason") as HTMLInputElement).value).toBe("准确率更高");
  });
});

describe("DashboardPage experiments", () => {
  const base = {
    generatedAt: "2025-03-05T08:00:00.000Z",
    tasks: [],
    series: [],
    totals: [],
    misclassified: [],
    promptVersions: [],
  };

  it("renders the experiments the server sends", async () => {
    const server = fakeServer({
      "/api/session": fakeOperatorSession({ signedIn: true }).route,
      "/api/admin/dashboard": () => Response.json({ ...base, experiments: [running, rolledBack] }),
    });
    renderWithServices(<DashboardPage />, { fetchFn: server.fetchFn });
    expect((await screen.findByTestId("experiment-exp-sentiment-v3-aa11")).getAttribute("data-status")).toBe(
      running.status,
    );
    expect(screen.getByTestId("experiment-exp-chat-v2-bb22").getAttribute("data-status")).toBe(
      rolledBack.status,
    );
  });

  it("promotes through the admin API on the session with its CSRF token, then reloads the dashboard", async () => {
    let loads = 0;
    const server = fakeServer({
      "/api/session": fakeOperatorSession({ signedIn: true }).route,
      "/api/admin/dashboard": () => {
        loads++;
        const after = loads > 1 ? [{ ...running, status: "promoted" as const, share: 1 }] : [running];
        return Response.json({ ...base, experiments: after });
      },
      "/api/admin/prompts/": () => Response.json({ versionId: "sentiment@v3", task: "sentiment", moves: [] }),
    });
    const user = userEvent.setup();
    renderWithServices(<DashboardPage />, { fetchFn: server.fetchFn });
    await user.click(await screen.findByTestId("experiment-promote"));
    await user.type(screen.getByTestId("experiment-action-reason"), "错误率显著下降");
    await user.click(screen.getByTestId("experiment-action-confirm"));
    await waitFor(() => expect(screen.getByTestId("experiment-status").textContent).toBe("状态: 已全量发布"));
    const action = server.requests.find((r) => r.method === "POST")!;
    expect(action).toMatchObject({
      url: "/api/admin/prompts/sentiment%40v3/promote",
      body: { reason: "错误率显著下降" },
      headers: { "x-csrf-token": fakeCsrfToken },
    });
    expect(loads).toBe(2);
  });

  it("shows the empty state for an older server that sends no experiments", async () => {
    const server = fakeServer({
      "/api/session": fakeOperatorSession({ signedIn: true }).route,
      "/api/admin/dashboard": () => Response.json(base),
    });
    renderWithServices(<DashboardPage />, { fetchFn: server.fetchFn });
    expect((await screen.findByTestId("experiments-empty")).textContent).toBe(
      "还没有灰度实验。新的提示词版本开始灰度后，这里会列出每一次发布决策及其原因。",
    );
  });
});
