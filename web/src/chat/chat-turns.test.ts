import { describe, expect, it } from "vitest";
import {
  followUpFor,
  historyOf,
  latestReply,
  maxHistoryMessages,
  restoredTurns,
  turnsReducer,
  type Turn,
} from "./chat-turns.js";

function completedTurn(id: number, finishedAt: number, edited: string | null = null): Turn[] {
  let turns = turnsReducer([], { type: "start", id, text: `问题${id}` });
  turns = turnsReducer(turns, {
    type: "done",
    id,
    at: finishedAt,
    reply: { interactionId: `r${id}`, promptVersion: "chat@v1", reply: `回答${id}`, latencyMs: 1 },
  });
  return edited === null ? turns : turnsReducer(turns, { type: "edited", id, text: edited });
}

describe("chat turns", () => {
  it("builds history from completed turns, preferring the user's edit", () => {
    const failed = turnsReducer(turnsReducer([], { type: "start", id: 3, text: "失败的" }), {
      type: "failed",
      id: 3,
      error: { code: "ENGINE_BUSY", message: "busy" },
    });
    const turns = [...completedTurn(1, 10), ...completedTurn(2, 20, "改过的回答"), ...failed];
    expect(historyOf(turns)).toEqual([
      { role: "user", content: "问题1" },
      { role: "assistant", content: "回答1" },
      { role: "user", content: "问题2" },
      { role: "assistant", content: "改过的回答" },
    ]);
  });

  it("leaves out turns whose reply came back empty", () => {
    const empty = turnsReducer(turnsReducer([], { type: "start", id: 2, text: "问题2" }), {
      type: "done",
      id: 2,
      at: 0,
      reply: { interactionId: "r2", promptVersion: "chat@v1", reply: " ", latencyMs: 1 },
    });
    expect(historyOf([...completedTurn(1, 0), ...empty]).map((m) => m.content)).toEqual(["问题1", "回答1"]);
  });

  it("keeps only the most recent messages", () => {
    const turns = Array.from({ length: 10 }, (_, i) => completedTurn(i + 1, i)).flat();
    const history = historyOf(turns);
    expect(history).toHaveLength(maxHistoryMessages);
    expect(history.at(-1)).toEqual({ role: "assistant", content: "回答10" });
    expect(history[0]).toEqual({ role: "user", content: `问题${10 - maxHistoryMessages / 2 + 1}` });
  });

  it.each<[string, Turn[], number, ReturnType<typeof followUpFor>]>([
    ["nothing before the first message", [], 5, null],
    [
      "the delay since the last reply finished",
      completedTurn(1, 1000),
      3500,
      { interactionId: "r1", afterMs: 2500 },
    ],
    [
      "a delay capped at the one day the API accepts",
      completedTurn(1, 0),
      3 * 86_400_000,
      { interactionId: "r1", afterMs: 86_400_000 },
    ],
    [
      "nothing after a turn that did not finish",
      [...completedTurn(1, 1000), ...turnsReducer([], { type: "start", id: 2, text: "x" })],
      3500,
      null,
    ],
  ])("follow-up: %s", (_name, turns, now, expected) => {
    expect(followUpFor(turns, now)).toEqual(expected);
  });

  it("finds the latest completed reply for the exit event", () => {
    const stopped = turnsReducer(turnsReducer([], { type: "start", id: 2, text: "x" }), {
      type: "stopped",
      id: 2,
    });
    expect(latestReply([...completedTurn(1, 0), ...stopped])?.reply?.interactionId).toBe("r1");
    expect(latestReply(stopped)).toBeNull();
  });

  it("does not mark a finished turn as stopped when the abort comes late", () => {
    const turns = turnsReducer(completedTurn(1, 0), { type: "stopped", id: 1 });
    expect(turns[0]?.phase).toBe("done");
  });

  it("keeps feedback with the turn, merging each change, and a rerun starts without it", () => {
    let turns = completedTurn(1, 10);
    turns = turnsReducer(turns, { type: "feedback", id: 1, change: { rating: 4 } });
    turns = turnsReducer(turns, {
      type: "feedback",
      id: 1,
      change: { labels: { sentiment: { verdict: "down", correctedTo: "负面", reasons: ["sarcasm"] } } },
    });
    turns = turnsReducer(turns, {
      type: "feedback",
      id: 1,
      change: { labels: { moderation: { verdict: "up", correctedTo: null, reasons: [] } } },
    });
    turns = turnsReducer(turns, { type: "feedback", id: 1, change: { rating: 2 } });
    expect(turns[0]?.feedback).toEqual({
      rating: 2,
      labels: {
        sentiment: { verdict: "down", correctedTo: "负面", reasons: ["sarcasm"] },
        moderation: { verdict: "up", correctedTo: null, reasons: [] },
      },
    });
    const rerun = turnsReducer(turns, { type: "restart", replaceId: 1, id: 2, text: "问题1" });
    expect(rerun[0]?.feedback).toBeUndefined();
  });
});

describe("restoredTurns", () => {
  it("reads a turn stored by the sentiment-only page as one sentiment classification", () => {
    const sentiment = {
      interactionId: "s1",
      feedbackToken: "tok-s1",
      label: "负面",
      confidence: 0.6,
      promptVersion: "sentiment@v2",
      latencyMs: 3,
    };
    const {
      classifications: _c,
      moderation: _m,
      refusal: _r,
      revealed: _v,
      ...old
    } = turnsReducer([], {
      type: "start",
      id: 1,
      text: "旧对话",
    })[0]!;
    const chip = { verdict: "down" as const, correctedTo: "正面", reasons: [] };
    const [restored] = restoredTurns([
      { ...old, phase: "done", sentiment, feedback: { rating: 3, sentiment: chip } },
    ]);
    expect(restored).toMatchObject({
      userText: "旧对话",
      classifications: [{ ...sentiment, task: "sentiment", distribution: {} }],
      moderation: null,
      refusal: null,
      revealed: false,
      feedback: { rating: 3, labels: { sentiment: chip } },
    });
    expect(restored).not.toHaveProperty("sentiment");
  });

  it("keeps a turn stored with its classifications as it is", () => {
    const turns = turnsReducer(turnsReducer([], { type: "start", id: 1, text: "x" }), {
      type: "refused",
      id: 1,
      message: "抱歉",
    });
    expect(restoredTurns(turns)).toEqual(turns);
    expect(turns[0]).toMatchObject({ phase: "refused", refusal: "抱歉" });
  });
});
