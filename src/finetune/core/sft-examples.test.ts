import { describe, expect, it } from "vitest";
import type { FeedbackEventBody, FeedbackEventRecord } from "../../feedback/feedback-event.js";
import type { PromptDefinition } from "../../tasks/prompt-definition.js";
import { sftExamplesOf, type StoredTurn } from "./sft-examples-of.js";
import { splitSftExamples } from "./split-sft-examples.js";

const classifier: PromptDefinition = {
  task: "sentiment",
  version: "v1",
  kind: "classifier",
  systemPrompt: "只输出正面或负面",
  labels: ["正面", "负面"],
  fewShot: [{ input: "很好", label: "正面" }],
};
const generator: PromptDefinition = {
  task: "chat",
  version: "v1",
  kind: "generator",
  systemPrompt: "你是助手",
};
const selection = { minQuality: 0.75, mask: (text: string) => text.replace(/\d{11}/g, "[phone]") };

let nextId = 1;
const event = (body: FeedbackEventBody): FeedbackEventRecord => ({
  id: nextId++,
  interactionId: "i",
  createdAt: 1000,
  ...body,
});
const turn = (task: string, events: FeedbackEventRecord[], extra: Partial<StoredTurn> = {}): StoredTurn => ({
  task,
  promptVersionId: `${task}@v1`,
  input: "输入 13900001111",
  output: task === "sentiment" ? "正面" : "回复",
  status: "ok",
  createdAt: 1000,
  events,
  ...extra,
});

describe("sftExamplesOf", () => {
  it("answers a corrected classification with the latest correction, under the version's prompt and few-shot", () => {
    const [example, ...rest] = sftExamplesOf(
      turn("sentiment", [
        event({ type: "label_correct", payload: { label: "正面" } }),
        event({ type: "label_correct", payload: { label: "负面" } }),
      ]),
      classifier,
      selection,
    );
    expect(rest).toEqual([]);
    expect(example).toMatchObject({ source: "correction", label: "负面" });
    expect(example!.row.messages).toEqual([
      { role: "system", content: "只输出正面或负面" },
      { role: "user", content: "很好" },
      { role: "assistant", content: "正面" },
      { role: "user", content: "输入 [phone]" },
      { role: "assistant", content: "负面" },
    ]);
  });

  it("drops a correction to a label the version doesn't have, a failed turn and a turn without a lesson", () => {
    const stray = turn("sentiment", [event({ type: "label_correct", payload: { label: "中性" } })]);
    const failed = turn("chat", [event({ type: "rating", payload: { score: 5 } })], { status: "error" });
    const silent = turn("chat", [event({ type: "dwell", payload: { ms: 10 } })]);
    expect(
      [stray, failed, silent].flatMap((t) =>
        sftExamplesOf(t, t.task === "chat" ? generator : classifier, selection),
      ),
    ).toEqual([]);
  });

  it("takes a user's edit as the target over the reply, and a well-rated reply only at the quality bar", () => {
    const edited = sftExamplesOf(
      turn("chat", [
        event({ type: "rating", payload: { score: 5 } }),
        event({ type: "reply_edit", payload: { text: "改过" } }),
      ]),
      generator,
      selection,
    );
    expect(edited.map((e) => [e.source, e.row.messages.at(-1)?.content])).toEqual([["edit", "改过"]]);
    const liked = sftExamplesOf(
      turn("chat", [event({ type: "rating", payload: { score: 5 } })]),
      generator,
      selection,
    );
    expect(liked.map((e) => e.source)).toEqual(["high_quality"]);
    const middling = sftExamplesOf(
      turn("chat", [event({ type: "rating", payload: { score: 3 } })]),
      generator,
      selection,
    );
    expect(middling).toEqual([]);
  });
});

describe("splitSftExamples", () => {
  const example = (content: string, createdAt: number) => ({
    row: {
      messages: [
        { role: "user" as const, content },
        { role: "assistant" as const, content: "a" },
      ],
    },
    source: "edit" as const,
    task: "chat",
    promptVersionId: "chat@v1",
    label: null,
    createdAt,
  });

  it("keeps the newest of identical rows and holds out the newest share for validation", () => {
    const split = splitSftExamples(
      [
        example("a", 5),
        example("b", 1),
        example("a", 9),
        ...Array.from({ length: 8 }, (_, i) => example(`c${i}`, 10 + i)),
      ],
      0.2,
    );
    expect(split.duplicatesRemoved).toBe(1);
    expect(split.train.map((e) => e.createdAt)).toEqual([1, 9, 10, 11, 12, 13, 14, 15]);
    expect(split.validation.map((e) => e.createdAt)).toEqual([16, 17]);
  });

  it("holds out at least one row when there are two or more, none for a single row, and refuses a share of 1", () => {
    expect(splitSftExamples([example("a", 1), example("b", 2)], 0.1).validation).toHaveLength(1);
    expect(splitSftExamples([example("a", 1)], 0.1).validation).toHaveLength(0);
    expect(splitSftExamples([example("a", 1), example("b", 2)], 0).validation).toHaveLength(0);
    expect(() => splitSftExamples([], 1)).toThrow(RangeError);
  });
});
