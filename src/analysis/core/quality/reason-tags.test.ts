import { describe, expect, it } from "vitest";
import { ruleFor } from "../candidates/rule-text.js";
import type { LabelledExample } from "../labelled-example.js";
import { buildPattern } from "../test-support/pattern-builder.js";
import { patternReasonTags } from "./reason-tags.js";

let id = 0;
const error = (text: string, userReasons: string[], correct = false): LabelledExample => ({
  interactionId: `i-${++id}`,
  promptVersionId: "sentiment@v1",
  text,
  predicted: "正面",
  gold: correct ? "正面" : "负面",
  correct,
  source: "correction",
  userReasons,
  createdAt: id,
});

describe("patternReasonTags", () => {
  const pattern = buildPattern({ kind: "ngram", text: "呵呵" });

  it("counts the tags of the sampled errors containing the pattern and lets a dominant one choose the structure", () => {
    const tags = patternReasonTags(pattern, [
      error("呵呵，真是好服务", ["sarcasm"]),
      error("呵呵，太快了，等了两小时", ["sarcasm", "negation"]),
      error("呵呵", ["sarcasm"]),
      error("呵呵不错", []),
      error("服务一般", ["negation"]),
      error("呵呵挺好", ["sarcasm"], true),
    ]);
    expect(tags).toEqual({
      sampledErrors: 4,
      tagged: 3,
      counts: { mixed: 0, sarcasm: 3, negation: 1, off_topic: 0, other: 0 },
      structure: "sarcasm",
    });
  });

  it("chooses no structure with too few tags, or when no structural tag dominates", () => {
    expect(
      patternReasonTags(pattern, [error("呵呵", ["sarcasm"]), error("呵呵呵", ["sarcasm"])]).structure,
    ).toBeNull();
    const spread = patternReasonTags(pattern, [
      error("呵呵1", ["off_topic"]),
      error("呵呵2", ["other"]),
      error("呵呵3", ["sarcasm"]),
      error("呵呵4", ["off_topic"]),
    ]);
    expect(spread).toMatchObject({ tagged: 4, structure: null });
  });

  it("words the pattern's rule with the structure its tags chose", () => {
    const tagged = buildPattern({
      kind: "ngram",
      text: "呵呵",
      reasonTags: {
        sampledErrors: 5,
        tagged: 4,
        counts: { mixed: 0, sarcasm: 4, negation: 0, off_topic: 0, other: 0 },
        structure: "sarcasm",
      },
    });
    expect(ruleFor(tagged)?.text).toBe(
      "含有'呵呵'的评论通常是'负面'（用户纠正中 100% 为'负面'），这类评论常常带有讽刺意味的表达，不要仅凭'呵呵'就判定为'正面'。",
    );
    expect(ruleFor(buildPattern({ kind: "ngram", text: "呵呵" }))?.text).not.toContain("讽刺");
  });
});
