import { describe, expect, it } from "vitest";
import { dedupePatterns } from "./dedupe-patterns.js";
import type { MinedPattern } from "./mined-pattern.js";
import { buildPattern } from "./test-support/pattern-builder.js";

const options = { topK: 10, overlapSupportRatio: 0.7, ngramErrorSupport: () => undefined, documents: 1000 };
const ids = (patterns: MinedPattern[]) => patterns.map((pattern) => pattern.id);

describe("dedupePatterns", () => {
  it.each([
    [
      "same text from two sources",
      [
        { kind: "ngram", text: "还行" },
        { kind: "word", text: "还行" },
      ],
      ["ngram:还行"],
    ],
    [
      "longer term without a higher error rate",
      [
        { kind: "ngram", text: "还行" },
        { kind: "ngram", text: "还行吧", errorRate: 0.7 },
      ],
      ["ngram:还行"],
    ],
    [
      "longer term with a clearly higher error rate",
      [
        { kind: "ngram", text: "还行" },
        { kind: "ngram", text: "还行吧", errorRate: 0.95 },
      ],
      ["ngram:还行", "ngram:还行吧"],
    ],
    [
      "shorter term mostly inside the kept one",
      [
        { kind: "ngram", text: "还行" },
        { kind: "word", text: "行", errorSupport: 35 },
      ],
      ["ngram:还行"],
    ],
    [
      "shorter term with many errors of its own",
      [
        { kind: "ngram", text: "还行" },
        { kind: "word", text: "行", errorSupport: 90 },
      ],
      ["ngram:还行", "word:行"],
    ],
    [
      "unrelated terms",
      [
        { kind: "ngram", text: "还行" },
        { kind: "ngram", text: "隔音" },
      ],
      ["ngram:还行", "ngram:隔音"],
    ],
  ] as const)("%s", (_name, specs, expected) => {
    const patterns = specs.map((spec) => buildPattern({ ...spec }));
    expect(ids(dedupePatterns(patterns, options))).toEqual(expected);
  });

  it("folds two overlapping n-grams when the merged phrase carries most of their errors", () => {
    const patterns = [
      buildPattern({ kind: "ngram", text: "还行" }),
      buildPattern({ kind: "ngram", text: "行吧", errorSupport: 25 }),
    ];
    const merged = dedupePatterns(patterns, {
      ...options,
      ngramErrorSupport: (text) => (text === "还行吧" ? 24 : undefined),
    });
    expect(ids(merged)).toEqual(["ngram:还行"]);
    expect(merged[0]!.aliases).toEqual(["ngram:行吧"]);
  });

  it("lets a structure absorb its trigger words even when they ranked first", () => {
    const patterns = [
      buildPattern({ kind: "ngram", text: "但是", zScore: 9 }),
      buildPattern({ kind: "ngram", text: "隔音", zScore: 8.5 }),
      buildPattern({ kind: "structure", text: "contrast", zScore: 8 }),
      buildPattern({ kind: "word", text: "不过", zScore: 7 }),
    ];
    const kept = dedupePatterns(patterns, options);
    expect(ids(kept)).toEqual(["structure:contrast", "ngram:隔音"]);
    expect(kept[0]!.aliases).toEqual(["ngram:但是", "word:不过"]);
  });

  it("folds a term whose sampled errors all contain a rarer kept term", () => {
    const example = (text: string) => ({
      interactionId: text,
      text,
      predicted: "正面",
      gold: "负面",
      createdAt: 0,
    });
    const keeper = buildPattern({ kind: "ngram", text: "还行", support: 85, errorSupport: 80 });
    const companion = buildPattern({
      kind: "word",
      text: "环境",
      errorSupport: 11,
      examples: ["环境还行，饭菜凉了", "环境还行，太吵", "环境还行，送错了"].map(example),
    });
    expect(ids(dedupePatterns([keeper, companion], options))).toEqual(["ngram:还行"]);
    // The same evidence means little when the kept term is in most documents anyway.
    expect(ids(dedupePatterns([{ ...keeper, support: 800 }, companion], options))).toEqual([
      "ngram:还行",
      "word:环境",
    ]);
  });

  it("stops at topK", () => {
    const patterns = ["甲", "乙", "丙"].map((text) => buildPattern({ kind: "ngram", text }));
    expect(dedupePatterns(patterns, { ...options, topK: 2 })).toHaveLength(2);
  });
});
