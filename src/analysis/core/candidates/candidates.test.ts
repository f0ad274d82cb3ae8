import { describe, expect, it } from "vitest";
import type { LabelledExample } from "../labelled-example.js";
import type { MinedPattern } from "../mined-pattern.js";
import { createWordSegmenter } from "../segment-text.js";
import { buildExample, buildPattern } from "../test-support/pattern-builder.js";
import { estimateTokens } from "../token-estimate.js";
import type { CandidateContext } from "./candidate-prompt.js";
import { createExemplarsStrategy } from "./exemplars-strategy.js";
import { createFewShotMemoryStrategy } from "./few-shot-memory-strategy.js";
import { createFewShotRetriever } from "./few-shot-retriever.js";
import { keepsLabelConstraint } from "./label-constraint.js";
import { ruleFor } from "./rule-text.js";
import { createRulesStrategy } from "./rules-strategy.js";
import { selectExemplars } from "./select-exemplars.js";

const labels = ["正面", "负面"];
const v1 = "你是一个冷酷的情感分析师。判断用户输入的情感倾向，输出只能是'正面'或'负面'。";
const segmentWords = createWordSegmenter();

function context(
  patterns: MinedPattern[],
  pool: LabelledExample[] = [],
): CandidateContext & { skipped: string[] } {
  const skipped: string[] = [];
  return {
    task: { task: "sentiment", labels },
    current: { id: "sentiment@v1", systemPrompt: v1 },
    patterns,
    pool,
    baseErrorRate: 0.2,
    segmentWords,
    estimateTokens,
    skip: (reason) => {
      skipped.push(reason);
      return null;
    },
    skipped,
  };
}

describe("rules strategy", () => {
  const toNegative = (count: number) => ({ predicted: "正面", gold: "负面", count, share: 1 });
  const ways = (...list: Array<[string | null, string | null, number]>) => {
    const total = list.reduce((sum, [, , count]) => sum + count, 0);
    return list.map(([predicted, gold, count]) => ({ predicted, gold, count, share: count / total }));
  };

  it("appends a directed rule for a keyword and keeps the original prompt and its label constraint", () => {
    const candidate = createRulesStrategy().propose(
      context([buildPattern({ kind: "ngram", text: "还行" })]),
    )!;
    expect(candidate.systemPrompt.startsWith(v1)).toBe(true);
    expect(candidate.systemPrompt).toContain(
      "含有'还行'的评论通常是'负面'（用户纠正中 100% 为'负面'），不要仅凭'还行'就判定为'正面'。",
    );
    expect(keepsLabelConstraint(candidate.systemPrompt, labels)).toBe(true);
    expect(candidate.targetPatterns).toEqual(["ngram:还行"]);
    expect(candidate.changes[0]).toBe(
      "appended a rule for “还行” (users corrected 30 of 30 to 负面 (100.0%))",
    );
    expect(candidate.rationale).toContain("30 of 40");
  });

  it.each([
    [
      "contrast",
      "如果句子包含转折（如'虽然…但是'、'不过'、'但'），优先判定为'负面'（用户纠正中 100% 为'负面'）。",
    ],
    [
      "mixed",
      "如果句子包含矛盾情绪（如'失望，不过还能接受'、'好吃但是太贵'），优先判定为'负面'（用户纠正中 100% 为'负面'）。",
    ],
    [
      "sarcasm",
      "如果句子带有讽刺意味的表达（如'呵呵'、'真是“好”'、'太…了吧'），优先判定为'负面'（用户纠正中 100% 为'负面'）。",
    ],
  ])("words the %s rule from the corrections, claiming nothing else about its direction", (id, rule) => {
    expect(ruleFor(buildPattern({ kind: "structure", text: id }))?.text).toBe(rule);
  });

  it("quotes the corrected inputs' own structure as the examples", () => {
    const pattern = buildPattern({
      kind: "structure",
      text: "mixed",
      examples: [
        {
          interactionId: "a",
          text: "这个结果真是令人失望，不过还能接受",
          predicted: "正面",
          gold: "负面",
          createdAt: 1,
        },
        { interactionId: "b", text: "服务很差，但还能接受", predicted: "正面", gold: "负面", createdAt: 2 },
      ],
    });
    expect(ruleFor(pattern)?.text).toBe(
      "如果句子包含矛盾情绪（如'这个结果真是令人失望，不过还能接受'、'服务很差，但还能接受'），优先判定为'负面'（用户纠正中 100% 为'负面'）。",
    );
  });

  it("follows the corrections when they go the other way, with their share", () => {
    const contrast = buildPattern({
      kind: "structure",
      text: "contrast",
      directions: ways(["负面", "正面", 8], ["正面", "负面", 2]),
    });
    expect(ruleFor(contrast)?.text).toBe(
      "如果句子包含转折（如'虽然…但是'、'不过'、'但'），优先判定为'正面'（用户纠正中 80% 为'正面'）。",
    );
    const word = buildPattern({ kind: "word", text: "不差", directions: ways(["负面", "正面", 30]) });
    expect(ruleFor(word)?.text).toBe(
      "含有'不差'的评论通常是'正面'（用户纠正中 100% 为'正面'），不要仅凭'不差'就判定为'负面'。",
    );
  });

  it("counts only corrections for the direction: a 👎 without a label does not dilute it", () => {
    const pattern = buildPattern({
      kind: "structure",
      text: "mixed",
      directions: ways(["正面", null, 20], ["正面", "负面", 9], ["负面", "正面", 1]),
    });
    expect(pattern.correctedTo).toEqual({ label: "负面", count: 9, corrections: 10, share: 0.9 });
    expect(ruleFor(pattern)?.says).toBe("优先判定为'负面'");
  });

  it("warns instead of naming a label nobody gave", () => {
    const pattern = buildPattern({ kind: "word", text: "退款", directions: ways(["咨询", null, 30]) });
    expect(ruleFor(pattern)?.text).toBe("含有'退款'的输入常被误判为'咨询'，请仔细核对是否确实属于'咨询'。");
  });

  it("skips weak patterns and patterns whose corrections disagree, with the reason", () => {
    const weak = buildPattern({ kind: "ngram", text: "一般", zScore: 1.5 });
    const split = buildPattern({
      kind: "ngram",
      text: "还好",
      directions: ways(["正面", "负面", 15], ["负面", "正面", 15]),
    });
    const ctx = context([weak, split]);
    expect(createRulesStrategy().propose(ctx)).toBeNull();
    expect(ctx.skipped[0]).toContain("no pattern with z ≥ 2.58 whose users' corrections agree on a label");
  });

  it("does not add a rule the prompt already has, as the write-up's v2 does", () => {
    const ctx = context([buildPattern({ kind: "structure", text: "mixed" })]);
    ctx.current = {
      ...ctx.current,
      systemPrompt: `${v1}\n注意：如果句子包含矛盾情绪（如'失望但能接受'），优先判定为'负面'`,
    };
    expect(createRulesStrategy().propose(ctx)).toBeNull();
  });

  it("keeps the mixed-sentiment rule instead of the contrast rule it narrows down, unless they disagree", () => {
    const contrast = buildPattern({ kind: "structure", text: "contrast", zScore: 10 });
    const mixed = buildPattern({ kind: "structure", text: "mixed", zScore: 8, errorSupport: 27 });
    expect(createRulesStrategy().propose(context([contrast, mixed]))!.targetPatterns).toEqual([
      "structure:mixed",
    ]);
    const otherWay = buildPattern({
      kind: "structure",
      text: "mixed",
      zScore: 8,
      errorSupport: 27,
      directions: ways(["负面", "正面", 27]),
    });
    expect(createRulesStrategy().propose(context([contrast, otherWay]))!.targetPatterns).toEqual([
      "structure:contrast",
      "structure:mixed",
    ]);
  });

  it("gives no keyword rule when most inputs containing the keyword are not errors", () => {
    const common = buildPattern({
      kind: "word",
      text: "服务",
      support: 38,
      errorSupport: 19,
      directions: [toNegative(18), { predicted: "负面", gold: "正面", count: 1, share: 1 / 19 }],
    });
    const ctx = context([common, buildPattern({ kind: "structure", text: "contrast", support: 38 })]);
    expect(createRulesStrategy().propose(ctx)!.targetPatterns).toEqual(["structure:contrast"]);
  });

  it("caps the number of rules", () => {
    const patterns = ["还行", "一般", "凑合", "将就"].map((text) => buildPattern({ kind: "ngram", text }));
    expect(createRulesStrategy({ maxRules: 2 }).propose(context(patterns))!.targetPatterns).toEqual([
      "ngram:还行",
      "ngram:一般",
    ]);
  });
});

describe("exemplars", () => {
  const pool = [
    buildExample("味道还行，就是等太久", "负面", "正面"),
    buildExample("味道还行，就是等太久！", "负面", "正面"),
    buildExample("味道还行，就是等得太久了", "负面", "正面"),
    buildExample("服务还行，可惜饭菜凉了", "负面", "正面"),
    buildExample("房间很干净，服务热情", "正面", "正面"),
    buildExample("早餐丰富，位置方便，下次还来", "正面", "负面"),
    buildExample("隔音太差", "负面", "负面"),
    buildExample("很一般".repeat(50), "负面", "正面"),
  ];
  const patterns = [buildPattern({ kind: "ngram", text: "还行" })];

  it("balances labels, skips duplicates and over-long inputs, and prefers corrected errors", () => {
    const selected = selectExemplars(pool, { labels, patterns, estimateTokens });
    const texts = selected.map((item) => item.example.text);
    expect(texts.filter((text) => text.startsWith("味道还行")).length).toBe(1);
    expect(texts.some((text) => text.startsWith("很一般"))).toBe(false);
    const golds = selected.map((item) => item.example.gold);
    expect(
      Math.abs(golds.filter((g) => g === "正面").length - golds.filter((g) => g === "负面").length),
    ).toBeLessThanOrEqual(1);
    // Labels take turns in task order; for 正面 the corrected error beats the confirmed example.
    expect(texts[0]).toBe("早餐丰富，位置方便，下次还来");
  });

  it("respects the token budget", () => {
    const selected = selectExemplars(pool, { labels, patterns, estimateTokens, tokenBudget: 40 });
    expect(selected.reduce((sum, item) => sum + item.tokens, 0)).toBeLessThanOrEqual(40);
    expect(selected.length).toBeGreaterThan(0);
  });

  it("proposes a few-shot candidate that records its changes", () => {
    const candidate = createExemplarsStrategy().propose(context(patterns, pool))!;
    expect(candidate.systemPrompt).toBe(v1);
    expect(candidate.fewShot!.length).toBeGreaterThanOrEqual(2);
    expect(candidate.changes[0]).toMatch(/added few-shot examples: \d+ \(正面 \d+, 负面 \d+\)/);
    expect(candidate.targetPatterns).toContain("ngram:还行");
  });

  it("skips when the pool cannot give both labels", () => {
    const ctx = context(
      patterns,
      pool.filter((example) => example.gold === "负面"),
    );
    expect(createExemplarsStrategy().propose(ctx)).toBeNull();
    expect(ctx.skipped[0]).toContain("covering 1 label");
  });
});

describe("few-shot memory", () => {
  const pool = [
    buildExample("菜还行，就是送得太慢", "负面", "正面", 1),
    buildExample("环境还行，不过服务员爱答不理", "负面", "正面", 2),
    buildExample("隔音不好，一晚上没睡着", "负面", "正面", 3),
    buildExample("价格不贵，味道也不差", "正面", "负面", 4),
    buildExample("房间干净，早餐丰富", "正面", "正面", 5),
  ];

  it("records the retrieval parameters and a pool of corrections, and the retriever finds similar ones", () => {
    const candidate = createFewShotMemoryStrategy({ k: 2 }).propose(context([], pool))!;
    expect(candidate.retrieval).toMatchObject({ method: "bm25", k: 2, k1: 1.2, b: 0.75 });
    expect(candidate.retrieval!.pool).toHaveLength(5);
    expect(candidate.retrieval!.pool[0]).toEqual({ input: "价格不贵，味道也不差", label: "正面" });
    const retriever = createFewShotRetriever(candidate.retrieval!);
    expect(retriever.retrieve("服务还行吧，菜送得慢")[0]).toEqual({
      input: "菜还行，就是送得太慢",
      label: "负面",
    });
    expect(retriever.retrieve("abc")).toEqual([]);
  });

  it("skips with too few corrections", () => {
    const ctx = context([], pool.slice(3));
    expect(createFewShotMemoryStrategy().propose(ctx)).toBeNull();
    expect(ctx.skipped[0]).toContain("only 1 corrected examples");
  });

  it("refuses an unknown retrieval method", () => {
    expect(() =>
      createFewShotRetriever({
        method: "bm25",
        tokenizer: "whitespace",
        k: 1,
        k1: 1,
        b: 1,
        minScore: 0,
        maxExampleChars: 9,
        pool: [],
      }),
    ).toThrow(/unsupported retrieval/);
  });
});
