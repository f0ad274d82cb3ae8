import "fake-indexeddb/auto";
import { IDBFactory } from "fake-indexeddb";
import { cleanup, screen, waitFor } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { sseBody, sseResponse } from "../../test/event-stream.js";
import { fakeServer, renderWithServices, type Route } from "../../test/test-services.js";
import { ChatPage } from "./chat-page.js";

/** GET /api/tasks as the server lists the shipped classifiers, with their declared feedback widgets. */
const tasksRoute: Route = () =>
  Response.json([
    {
      task: "sentiment",
      kind: "classifier",
      labels: ["正面", "负面"],
      activeVersion: "sentiment@v1",
      feedback: {
        confirm: true,
        correct: true,
        reasons: ["mixed", "sarcasm", "negation", "off_topic", "other"],
      },
    },
    {
      task: "moderation",
      kind: "classifier",
      labels: ["正常", "冒犯"],
      flagLabels: ["冒犯"],
      activeVersion: "moderation@v1",
      feedback: { confirm: true, correct: true, reasons: ["other"] },
    },
    {
      task: "qa-check",
      kind: "classifier",
      labels: ["事实问题", "其他"],
      activeVersion: "qa-check@v1",
      feedback: { confirm: true, correct: true, reasons: ["other"], askAnswerCorrectWhen: "事实问题" },
    },
    { task: "chat", kind: "generator", activeVersion: "chat@v1", feedback: { rating: true, edit: true } },
  ]);

function classification(task: string, label: string, distribution: Record<string, number>) {
  return {
    task,
    interactionId: `${task}-1`,
    feedbackToken: `tok-${task}`,
    label,
    confidence: distribution[label],
    promptVersion: `${task}@v1`,
    latencyMs: 5,
    distribution,
  };
}

const sentiment = classification("sentiment", "负面", { 正面: 0.36, 负面: 0.64 });
const factual = classification("qa-check", "事实问题", { 事实问题: 0.7, 其他: 0.3 });
const offensive = classification("moderation", "冒犯", { 正常: 0.2, 冒犯: 0.8 });

function verdict(policy: "flag" | "block") {
  return {
    task: "moderation",
    policy,
    interactionId: offensive.interactionId,
    label: "冒犯",
    flagged: true,
    action: policy === "block" ? "refuse" : "withhold",
    disputeLabel: "正常",
  };
}

const reply = (text: string): [string, unknown][] => [
  ...[...text].map((ch): [string, unknown] => ["token", { text: ch }]),
  [
    "done",
    { interactionId: "r1", feedbackToken: "tok-r1", promptVersion: "chat@v1", reply: text, latencyMs: 9 },
  ],
];

function setup(events: [string, unknown][], locale?: "en") {
  const server = fakeServer({
    "/api/analyze": () => sseResponse(sseBody(events)),
    "/api/tasks": tasksRoute,
  });
  renderWithServices(<ChatPage />, { fetchFn: server.fetchFn, ...(locale ? { locale } : {}) });
  return server;
}

async function send(text: string) {
  await userEvent.setup().type(screen.getByTestId("message-input"), `${text}{Enter}`);
}

describe("ChatPage with the turn's classifiers", () => {
  // A browser of its own for each test: the page reopens the latest stored conversation.
  beforeEach(() => {
    globalThis.indexedDB = new IDBFactory();
  });

  it("shows one named chip per classifier and asks 答案正确吗? under the reply to a factual question", async () => {
    const user = userEvent.setup();
    const server = setup([
      ["sentiment", sentiment],
      ["classifications", { classifications: [sentiment, factual], moderation: null }],
      ...reply("约两万一千公里。"),
    ]);
    await send("长城有多长？");
    await waitFor(() => expect(screen.getByTestId("stream-status").textContent).toBe("回复完成"));
    const chips = screen.getAllByTestId("classifier");
    expect(chips.map((chip) => chip.dataset.task)).toEqual(["sentiment", "qa-check"]);
    expect(screen.getAllByTestId("classifier-chip").map((chip) => chip.textContent)).toEqual([
      "情感负面 · 64%",
      "问题类型事实问题 · 70%",
    ]);
    await user.click(screen.getByRole("button", { name: "问题类型：判断错误" }));
    expect(screen.getByRole("group", { name: "正确的问题类型是？" })).toBeTruthy();
    expect(screen.getByTestId("correct-label-其他")).toBeTruthy();

    await user.click(screen.getByTestId("answer-wrong"));
    await user.click(screen.getByTestId("answer-correct"));
    await waitFor(() => expect(server.feedbackBodies()).toHaveLength(3));
    expect(server.feedbackBodies()).toEqual([
      {
        interactionId: "qa-check-1",
        feedbackToken: "tok-qa-check",
        type: "label_confirm",
        correct: false,
        sessionId: "test-session",
      },
      ...[false, true].map((correct) => ({
        interactionId: "r1",
        feedbackToken: "tok-r1",
        type: "answer_correct",
        correct,
        sessionId: "test-session",
      })),
    ]);
  });

  it("does not ask 答案正确吗? when qa-check says the message is not a factual question", async () => {
    setup([
      ["classifications", { classifications: [{ ...factual, label: "其他" }], moderation: null }],
      ...reply("你好！"),
    ]);
    await send("你好");
    await waitFor(() => expect(screen.getByTestId("stream-status").textContent).toBe("回复完成"));
    expect(screen.queryByTestId("answer-check")).toBeNull();
  });

  it("shows a blocked message's refusal instead of a reply, and sends the dispute (误判) on moderation", async () => {
    const user = userEvent.setup();
    const server = setup([
      ["sentiment", sentiment],
      ["classifications", { classifications: [sentiment, offensive], moderation: verdict("block") }],
      ["refusal", { message: "抱歉", moderation: verdict("block") }],
      ["token", { text: "never shown" }],
    ]);
    await send("你们真差劲");
    await waitFor(() => expect(screen.getByTestId("stream-status").textContent).toBe("已拒绝回复"));
    expect(screen.getByTestId("refusal-text").textContent).toBe(
      "抱歉，这条消息可能包含冒犯性的内容，我不能回复。",
    );
    expect(screen.queryByTestId("reply-text")).toBeNull();
    expect(screen.getByTestId("turn").dataset.phase).toBe("refused");
    const flaggedChip = screen.getAllByTestId("classifier-chip")[1]!;
    expect(flaggedChip.dataset.flagged).toBe("true");
    // The user can send again, and edit the refused message.
    expect(screen.queryByTestId("stop-button")).toBeNull();
    expect(screen.getByTestId("edit-message")).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "误判" }));
    await user.click(screen.getByTestId("dispute-button"));
    await waitFor(() => expect(screen.getByTestId("recorded-dispute").dataset.status).toBe("recorded"));
    expect(screen.getByTestId("disputed-text").textContent).toContain("已提交误判");
    expect(server.feedbackBodies()).toEqual([
      {
        interactionId: "moderation-1",
        feedbackToken: "tok-moderation",
        type: "label_correct",
        label: "正常",
        sessionId: "test-session",
      },
    ]);
  });

  it("hides a flagged message's reply behind a notice until the user reveals it", async () => {
    const user = userEvent.setup();
    setup([
      ["classifications", { classifications: [sentiment, offensive], moderation: verdict("flag") }],
      ...reply("好的。"),
    ]);
    await send("你们真差劲");
    await waitFor(() => expect(screen.getByTestId("stream-status").textContent).toBe("回复完成"));
    expect(screen.getByTestId("withheld-text").textContent).toContain("回复已隐藏");
    expect(screen.queryByTestId("reply-text")).toBeNull();
    await user.click(screen.getByTestId("reveal-reply"));
    expect(screen.getByTestId("reply-text").textContent).toBe("好的。");
    expect(screen.queryByTestId("moderation-notice")).toBeNull();
  });

  it("speaks English on the switch but disputes with the task's own label", async () => {
    const user = userEvent.setup();
    const server = setup(
      [
        ["classifications", { classifications: [offensive], moderation: verdict("block") }],
        ["refusal", { message: "抱歉" }],
      ],
      "en",
    );
    await send("you people are awful");
    await waitFor(() => expect(screen.getByTestId("stream-status").textContent).toBe("Reply refused"));
    expect(screen.getByTestId("refusal-text").textContent).toContain("I can't reply");
    expect(screen.getByTestId("classifier-chip").getAttribute("aria-label")).toBe(
      "Moderation: Offensive, confidence 80%",
    );
    await user.click(screen.getByRole("button", { name: "Not offensive" }));
    await waitFor(() => expect(server.feedbackBodies()).toHaveLength(1));
    expect(server.feedbackBodies()[0]).toMatchObject({ type: "label_correct", label: "正常" });
  });

  it("keeps the classifications and the refusal across a reload", async () => {
    setup([
      ["classifications", { classifications: [sentiment, offensive], moderation: verdict("block") }],
      ["refusal", { message: "抱歉" }],
    ]);
    await send("再骂一句");
    await waitFor(() => expect(screen.getByTestId("stream-status").textContent).toBe("已拒绝回复"));
    await userEvent.setup().click(screen.getByTestId("dispute-button"));
    await waitFor(() => expect(screen.getByTestId("recorded-dispute").dataset.status).toBe("recorded"));
    // Saved once the turn settled (the history lists it); the next page opens the latest conversation.
    await waitFor(() => expect(screen.getAllByTestId("history-item")).toHaveLength(1));
    cleanup();
    const server = setup([]);
    await waitFor(() => expect(screen.getAllByTestId("turn")).toHaveLength(1));
    expect(screen.getByTestId("turn").dataset.phase).toBe("refused");
    expect(screen.getAllByTestId("classifier").map((chip) => chip.dataset.task)).toEqual([
      "sentiment",
      "moderation",
    ]);
    expect(screen.getByTestId("refusal-text")).toBeTruthy();
    // The dispute is remembered, not sent again.
    expect(screen.getByTestId("disputed-text")).toBeTruthy();
    expect(screen.getByTestId("dispute-button").getAttribute("aria-disabled")).toBe("true");
    // The kept answer's token still proves later feedback.
    await userEvent.setup().click(screen.getByRole("button", { name: "内容安全：判断正确" }));
    await waitFor(() => expect(server.feedbackBodies()).toHaveLength(1));
    expect(server.feedbackBodies()[0]).toMatchObject({
      interactionId: "moderation-1",
      feedbackToken: "tok-moderation",
      type: "label_confirm",
      correct: true,
    });
  });
});
