import { normaliseText } from "../segment-text.js";
import type { CandidateContext, CandidatePrompt, CandidateStrategy } from "./candidate-prompt.js";
import { directionText } from "./describe-pattern.js";
import { keepsLabelConstraint, labelConstraintSentence } from "./label-constraint.js";

/** A chat request for the served model. */
export interface MetaPrompt {
  system: string;
  user: string;
  /** Longest acceptable rewritten prompt, in characters (also told to the model). */
  maxChars: number;
}

/** Options of the meta-prompt. */
export interface RewriteOptions {
  /** Error examples shown to the model. Default 8. */
  maxExamples?: number;
  /** Patterns described to the model. Default 3. */
  maxPatterns?: number;
  /** Longest rewritten prompt. Default max(300, 2 × the current prompt). */
  maxChars?: number;
  /** Example texts are cut to this many characters. Default 80. */
  maxExampleChars?: number;
}

/**
 * The OPRO / ProTeGi-style meta-prompt: the current instruction, misclassified examples with their corrections
 * ("gradients" in ProTeGi's terms), the mined patterns, and the constraints the rewrite must keep. The I/O shell
 * sends it to the served model and passes the answer to createRewriteStrategy.
 */
export function buildRewriteMetaPrompt(
  context: Omit<CandidateContext, "skip">,
  options: RewriteOptions = {},
): MetaPrompt {
  const maxChars = options.maxChars ?? Math.max(300, 2 * context.current.systemPrompt.length);
  const cut = options.maxExampleChars ?? 80;
  const errors = context.pool
    .filter((example) => !example.correct)
    .slice(-(options.maxExamples ?? 8))
    .map(
      (example, index) =>
        `${index + 1}. 输入：「${clip(example.text, cut)}」 模型输出：${example.predicted ?? "（无）"} 正确答案：${example.gold}`,
    );
  const patterns = context.patterns.slice(0, options.maxPatterns ?? 3).map((pattern) => {
    const direction = pattern.dominantDirection;
    const corrected = pattern.correctedTo;
    const way =
      corrected !== null
        ? `，用户纠正中 ${Math.round(corrected.share * 100)}% 为'${corrected.label}'`
        : direction === null
          ? ""
          : `，多为 ${directionText(direction.predicted, direction.gold)}`;
    return `- 含 ${pattern.title} 的输入：${pattern.errorSupport} 条判错${way}`;
  });
  const labels = context.task.labels.map((label) => `'${label}'`).join("、");
  const user = [
    `下面是一个分类任务（标签：${labels}）当前使用的系统提示词：`,
    "<prompt>",
    context.current.systemPrompt,
    "</prompt>",
    "",
    "模型在以下用户纠正过的例子上判断错误：",
    ...(errors.length > 0 ? errors : ["（无）"]),
    "",
    "数据中发现的错误模式：",
    ...(patterns.length > 0 ? patterns : ["（无）"]),
    "",
    "请改写这个系统提示词，让模型能正确处理这类输入。要求：",
    `1. 必须保留输出约束：${labelConstraintSentence(context.task.labels)}`,
    `2. 使用简洁的中文，不超过 ${maxChars} 个字；`,
    "3. 总结规律，不要照抄上面的例子；",
    "4. 只输出新的系统提示词，放在 <prompt> 和 </prompt> 之间。",
  ].join("\n");
  return { system: "你是一名提示词工程师，擅长改进分类任务的指令。", user, maxChars };
}

/** The outcome of checking a model's rewrite. */
export type RewriteParse = { ok: true; systemPrompt: string } | { ok: false; reason: string };

/**
 * Extracts and validates the rewritten prompt. Rejected: empty or under 10 characters, longer than maxChars, the
 * label constraint lost, the prompt unchanged, an example copied verbatim, or garbage (control characters, one
 * character repeated 8+ times, a phrase looping, mostly non-text).
 */
export function parseRewriteAnswer(
  answer: string,
  context: Omit<CandidateContext, "skip">,
  maxChars: number,
): RewriteParse {
  const text = extractPrompt(answer);
  if (text.length < 10)
    return { ok: false, reason: `rewrite is empty or too short (${text.length} characters)` };
  if (text.length > maxChars)
    return { ok: false, reason: `rewrite is too long (${text.length} > ${maxChars} characters)` };
  if (hasControlCharacters(text))
    return { ok: false, reason: "rewrite contains control or replacement characters" };
  if (/(.)\1{7,}/u.test(text)) return { ok: false, reason: "rewrite repeats one character 8 or more times" };
  if (/(.{4,}?)\1{2,}/su.test(text)) return { ok: false, reason: "rewrite loops on a repeated phrase" };
  const letters = (text.match(/[\p{L}\p{N}]/gu) ?? []).length;
  if (letters / [...text].length < 0.5) return { ok: false, reason: "rewrite is mostly symbols, not text" };
  if (!keepsLabelConstraint(text, context.task.labels)) {
    return {
      ok: false,
      reason: `rewrite lost the label constraint (must name ${context.task.labels.join("/")} and say "only")`,
    };
  }
  if (normaliseText(text) === normaliseText(context.current.systemPrompt))
    return { ok: false, reason: "rewrite is unchanged" };
  const copied = context.pool.find((example) => example.text.length >= 8 && text.includes(example.text));
  if (copied !== undefined) return { ok: false, reason: "rewrite copies a training example verbatim" };
  return { ok: true, systemPrompt: text };
}

function hasControlCharacters(text: string): boolean {
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if ((code < 0x20 && char !== "\n" && char !== "\t" && char !== "\r") || code === 0x7f || code === 0xfffd)
      return true;
  }
  return false;
}

function extractPrompt(answer: string): string {
  const tagged = [...answer.matchAll(/<prompt>([\s\S]*?)<\/prompt>/g)].at(-1)?.[1];
  if (tagged !== undefined) return tagged.trim();
  const fenced = /```(?:\w+)?\n([\s\S]*?)```/.exec(answer)?.[1];
  return (fenced ?? answer).replace(/<\/?prompt>/g, "").trim();
}

function clip(text: string, length: number): string {
  const chars = [...text];
  return chars.length > length ? `${chars.slice(0, length).join("")}…` : text;
}

/**
 * The rewrite strategy, given the model's answer to buildRewriteMetaPrompt (obtained by the I/O shell; null when
 * the model was not asked or failed). Optional: a 0.5B model is weak at rewriting, so most answers are expected
 * to be rejected, each with its reason.
 */
export function createRewriteStrategy(
  answer: string | null,
  options: RewriteOptions = {},
): CandidateStrategy {
  return {
    name: "rewrite",
    propose(context: CandidateContext): CandidatePrompt | null {
      if (answer === null) return context.skip("the model was not asked for a rewrite");
      const { maxChars } = buildRewriteMetaPrompt(context, options);
      const parsed = parseRewriteAnswer(answer, context, maxChars);
      if (!parsed.ok) return context.skip(parsed.reason);
      const errorsShown = Math.min(
        options.maxExamples ?? 8,
        context.pool.filter((example) => !example.correct).length,
      );
      return {
        strategy: "rewrite",
        systemPrompt: parsed.systemPrompt,
        ...(context.current.params === undefined ? {} : { params: context.current.params }),
        ...(context.current.fewShot === undefined ? {} : { fewShot: context.current.fewShot }),
        changes: [
          `replaced the instruction with the served model's rewrite (${parsed.systemPrompt.length} characters)`,
        ],
        rationale:
          `OPRO/ProTeGi-style rewrite by the served model from ${errorsShown} corrected errors and the top ` +
          `${Math.min(options.maxPatterns ?? 3, context.patterns.length)} mined patterns; validated to keep the label constraint`,
        targetPatterns: context.patterns.slice(0, options.maxPatterns ?? 3).map((pattern) => pattern.id),
      };
    },
  };
}
