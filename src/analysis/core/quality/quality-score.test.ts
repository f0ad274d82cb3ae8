import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { FeedbackEventRecord } from "../../../feedback/feedback-event.js";
import { bigramOverlap, followUpKind } from "./follow-up-kind.js";
import { fusedQualityScore, isBadTurn, qualityFeatures } from "./quality-score.js";
import { createTurnLinker, type LinkableTurn } from "./turn-linker.js";
import { normalisedEditDistance, readTurnSignals, type TurnSignals } from "./turn-signals.js";

const none: TurnSignals = {
  rating: null,
  thumb: null,
  editDistance: null,
  copied: false,
  dwellMs: null,
  replyChars: 20,
  exited: false,
  followUp: null,
};
const turn = (signals: Partial<TurnSignals>): TurnSignals => ({ ...none, ...signals });
let nextId = 1;
const event = (body: Pick<FeedbackEventRecord, "type" | "payload">): FeedbackEventRecord =>
  ({ id: nextId++, interactionId: "i", createdAt: 0, ...body }) as FeedbackEventRecord;

describe("fusedQualityScore with the prior weights", () => {
  it("has no score without any signal, never a default", () => {
    expect(fusedQualityScore(none)).toBeNull();
  });

  it.each([
    ["a copy", turn({ copied: true }), 0.91],
    ["a rephrased follow-up", turn({ followUp: "rephrase" }), 0.23],
    ["an exit alone", turn({ exited: true }), 0.45],
    ["half the reply rewritten", turn({ editDistance: 0.5 }), 0.23],
    ["a small touch-up", turn({ editDistance: 0.1 }), 0.6],
    ["a follow-up on a new topic", turn({ followUp: "new_topic" }), 0.69],
    ["rated 5", turn({ rating: 5 }), 0.95],
    ["rated 3", turn({ rating: 3 }), 0.5],
    ["rated 1", turn({ rating: 1 }), 0.05],
    ["read for the expected time", turn({ dwellMs: 3500 }), 0.69],
  ])("%s scores about %s", (_name, signals, expected) => {
    expect(fusedQualityScore(signals)).toBeCloseTo(expected, 2);
  });

  it("calls a turn bad when rated ≤ 2 or scored below 0.4", () => {
    const ratedTwoButCopied = turn({ rating: 2, copied: true });
    expect(fusedQualityScore(ratedTwoButCopied)!).toBeGreaterThan(0.4);
    expect(isBadTurn(ratedTwoButCopied, fusedQualityScore(ratedTwoButCopied)!)).toBe(true);
    const rephrased = turn({ followUp: "rephrase" });
    expect(isBadTurn(rephrased, fusedQualityScore(rephrased)!)).toBe(true);
    const copied = turn({ copied: true });
    expect(isBadTurn(copied, fusedQualityScore(copied)!)).toBe(false);
  });

  it("judges dwell against the reply's length", () => {
    const short = fusedQualityScore(turn({ dwellMs: 2000, replyChars: 5 }))!;
    const long = fusedQualityScore(turn({ dwellMs: 2000, replyChars: 500 }))!;
    expect(short).toBeGreaterThan(long);
    expect(qualityFeatures(turn({ dwellMs: 10 ** 7, replyChars: 1 })).dwell).toBe(1);
    expect(qualityFeatures(turn({ dwellMs: 0, replyChars: 1000 })).dwell).toBe(-1);
  });

  it("stays in [0, 1], and bad signals never raise the score", () => {
    const signals = fc.record({
      rating: fc.option(fc.integer({ min: 1, max: 5 })),
      thumb: fc.option(fc.boolean()),
      editDistance: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
      copied: fc.boolean(),
      dwellMs: fc.option(fc.integer({ min: 0, max: 86_400_000 })),
      replyChars: fc.integer({ min: 0, max: 5000 }),
      exited: fc.boolean(),
      followUp: fc.constantFrom(null, "rephrase" as const, "new_topic" as const),
    });
    fc.assert(
      fc.property(signals, (s) => {
        const score = fusedQualityScore(s);
        if (score === null) return;
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
        expect(fusedQualityScore({ ...s, exited: true })!).toBeLessThanOrEqual(score + 1e-12);
        if (s.followUp === null)
          expect(fusedQualityScore({ ...s, followUp: "rephrase" })!).toBeLessThan(score);
      }),
    );
  });
});

describe("readTurnSignals", () => {
  it("reads the latest rating and edit, sums dwell, and lets a correction override a thumb", () => {
    const signals = readTurnSignals(
      {
        output: "你好，我能帮你什么？",
        events: [
          event({ type: "rating", payload: { score: 2 } }),
          event({ type: "rating", payload: { score: 4 } }),
          event({ type: "dwell", payload: { ms: 1000 } }),
          event({ type: "dwell", payload: { ms: 2500 } }),
          event({ type: "reply_edit", payload: { text: "完全不同" } }),
          event({ type: "reply_edit", payload: { text: "你好，我能帮你什么？" } }),
          event({ type: "label_confirm", payload: { correct: true } }),
          event({ type: "label_correct", payload: { label: "负面" } }),
          event({ type: "copy", payload: {} }),
          event({ type: "exit", payload: {} }),
        ],
      },
      "new_topic",
    );
    expect(signals).toEqual({
      rating: 4,
      thumb: false,
      editDistance: 0,
      copied: true,
      dwellMs: 3500,
      replyChars: 10,
      exited: true,
      followUp: "new_topic",
      replyReasons: [],
    });
  });

  it("reads 👎 reasons on a reply as a bad thumb, the latest counting, and an undo as no thumb", () => {
    const read = (...events: ReturnType<typeof event>[]) => readTurnSignals({ output: "好的", events }, null);
    const down = event({ type: "reply_reason", payload: { reasons: ["inaccurate", "too_long"] } });
    expect(read(down)).toMatchObject({ thumb: false, replyReasons: ["inaccurate", "too_long"] });
    const edited = event({ type: "reply_reason", payload: { reasons: [], comment: "答非所问" } });
    expect(read(down, edited)).toMatchObject({ thumb: false, replyReasons: [] });
    const withdrawn = event({ type: "reply_reason", payload: { reasons: [] } });
    expect(read(down, withdrawn)).toMatchObject({ thumb: null, replyReasons: [] });
    const undo = event({ type: "label_confirm", payload: { correct: false, withdrawn: true } });
    expect(read(event({ type: "label_correct", payload: { label: "负面" } }), undo).thumb).toBeNull();
  });

  it("normalises the edit distance by the longer text", () => {
    expect(normalisedEditDistance("abcd", "abxd")).toBe(0.25);
    expect(normalisedEditDistance("", "")).toBe(0);
    expect(normalisedEditDistance("", "abc")).toBe(1);
  });
});

describe("followUpKind", () => {
  it.each([
    ["怎么申请退款", "退款怎么申请啊", 0.8, "rephrase"],
    ["怎么申请退款", "今天天气怎么样", 0.2, "new_topic"],
    ["How do I reset my password?", "how do i reset my password", 1, "rephrase"],
    ["你好", "", 0, "new_topic"],
  ])("%s → %s", (previous, next, overlap, kind) => {
    expect(bigramOverlap(previous, next)).toBeCloseTo(overlap, 12);
    expect(followUpKind(previous, next)).toBe(kind);
  });
});

describe("createTurnLinker", () => {
  let clock = 0;
  const t = (task: string, sessionHash: string | null, input: string, hasFollowUp = true): LinkableTurn => ({
    task,
    sessionHash,
    input,
    hasFollowUp,
    createdAt: (clock += 1000),
  });

  it("judges a follow-up by the next turn of the same task and session", () => {
    const linker = createTurnLinker<LinkableTurn>();
    const first = t("chat", "s1", "怎么申请退款");
    expect(linker.add(first)).toEqual([]);
    expect(linker.add(t("sentiment", "s1", "x"))).toEqual([]);
    expect(linker.add(t("chat", "s2", "今天天气怎么样"))).toEqual([]);
    const released = linker.add(t("chat", "s1", "退款怎么申请啊"));
    expect(released).toEqual([{ turn: first, followUp: "rephrase", ignoredReason: null }]);
    const rest = linker.finish();
    expect(rest.map((r) => [r.turn.task, r.turn.sessionHash, r.followUp, r.ignoredReason])).toEqual([
      ["sentiment", "s1", null, "no_next_turn"],
      ["chat", "s2", null, "no_next_turn"],
      ["chat", "s1", null, "no_next_turn"],
    ]);
  });

  it("releases a turn without a session at once, its follow-up ignored with a reason", () => {
    const linker = createTurnLinker<LinkableTurn>();
    const alone = t("chat", null, "a");
    expect(linker.add(alone)).toEqual([{ turn: alone, followUp: null, ignoredReason: "no_session" }]);
    expect(linker.add(t("chat", null, "b", false))[0]!.ignoredReason).toBeNull();
  });

  it("lets a turn go once no next turn can come within a day, keeping memory bounded", () => {
    const linker = createTurnLinker<LinkableTurn>(10_000);
    const old = t("chat", "s1", "怎么申请退款");
    linker.add(old);
    clock += 5_000;
    expect(linker.add(t("chat", "s2", "你好"))).toEqual([]);
    clock += 20_000;
    expect(linker.add(t("chat", "s3", "再见"))).toEqual([
      { turn: old, followUp: null, ignoredReason: "no_next_turn" },
      expect.objectContaining({ ignoredReason: "no_next_turn" }),
    ]);
    expect(linker.finish()).toHaveLength(1);
  });
});
