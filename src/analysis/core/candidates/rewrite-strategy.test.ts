import { describe, expect, it } from "vitest";
import { createWordSegmenter } from "../segment-text.js";
import { buildExample, buildPattern } from "../test-support/pattern-builder.js";
import { estimateTokens } from "../token-estimate.js";
import type { CandidateContext } from "./candidate-prompt.js";
import { buildRewriteMetaPrompt, createRewriteStrategy, parseRewriteAnswer } from "./rewrite-strategy.js";

const v1 = "你是一个冷酷的情感分析师。判断用户输入的情感倾向，输出只能是'正面'或'负面'。";
const skipped: string[] = [];
const context: CandidateContext = {
  task: { task: "sentiment", labels: ["正面", "负面"] },
  current: { id: "sentiment@v1", systemPrompt: v1 },
  patterns: [buildPattern({ kind: "ngram", text: "还行" })],
  pool: [buildExample("菜还行，就是送得太慢了", "负面", "正面"), buildExample("房间干净", "正面", "正面")],
  baseErrorRate: 0.2,
  segmentWords: createWordSegmenter(),
  estimateTokens,
  skip: (reason) => {
    skipped.push(reason);
    return null;
  },
};
const good =
  "你是情感分析师。注意：含有'还行'等勉强认可的评论，若同时有抱怨，判定为'负面'。只能输出'正面'或'负面'。";

describe("buildRewriteMetaPrompt", () => {
  it("shows the current prompt, the corrected errors, the patterns and the constraints", () => {
    const meta = buildRewriteMetaPrompt(context);
    expect(meta.user).toContain(v1);
    expect(meta.user).toContain("输入：「菜还行，就是送得太慢了」 模型输出：正面 正确答案：负面");
    expect(meta.user).not.toContain("房间干净");
    expect(meta.user).toContain("“还行”");
    expect(meta.user).toContain("只能输出'正面'或'负面'");
    expect(meta.user).toContain("<prompt>");
    expect(meta.maxChars).toBe(300);
  });
});

describe("parseRewriteAnswer", () => {
  it.each([
    [
      "tagged answer",
      `好的，新的提示词如下：\n<prompt>\n${good}\n</prompt>`,
      { ok: true, systemPrompt: good },
    ],
    ["bare answer", good, { ok: true, systemPrompt: good }],
    ["fenced answer", `\`\`\`\n${good}\n\`\`\``, { ok: true, systemPrompt: good }],
    ["empty", "<prompt></prompt>", { ok: false, reason: "rewrite is empty or too short (0 characters)" }],
    ["too long", `<prompt>${good}${"请仔细判断每一句话。".repeat(40)}</prompt>`, { ok: false }],
    ["lost constraint", "<prompt>你是情感分析师，请判断情感，含有'还行'的多为负面。</prompt>", { ok: false }],
    ["unchanged", `<prompt>${v1}</prompt>`, { ok: false, reason: "rewrite is unchanged" }],
    ["repeated character", `<prompt>${good}啊啊啊啊啊啊啊啊啊</prompt>`, { ok: false }],
    ["looping phrase", `<prompt>${good}正面负面正面负面正面负面</prompt>`, { ok: false }],
    [
      "copied example",
      `<prompt>${good}例如：菜还行，就是送得太慢了</prompt>`,
      { ok: false, reason: "rewrite copies a training example verbatim" },
    ],
    [
      "symbols",
      `<prompt>'正面''负面'只能 %%%%%% ### @@@ !!! ??? ~~~ ^^^ &&& *** ((( )))</prompt>`,
      { ok: false },
    ],
  ])("%s", (_name, answer, expected) => {
    const parsed = parseRewriteAnswer(answer, context, 300);
    expect(parsed).toMatchObject(expected);
    if (!parsed.ok) expect(parsed.reason.length).toBeGreaterThan(0);
  });
});

describe("createRewriteStrategy", () => {
  it("proposes a validated rewrite", () => {
    const candidate = createRewriteStrategy(`<prompt>${good}</prompt>`).propose(context)!;
    expect(candidate.systemPrompt).toBe(good);
    expect(candidate.strategy).toBe("rewrite");
    expect(candidate.rationale).toContain("OPRO/ProTeGi");
  });

  it("skips a rejected rewrite with the reason", () => {
    skipped.length = 0;
    expect(createRewriteStrategy("<prompt></prompt>").propose(context)).toBeNull();
    expect(skipped).toEqual(["rewrite is empty or too short (0 characters)"]);
  });
});
