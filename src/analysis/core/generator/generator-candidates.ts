/**
 * Chat (generator) prompt candidates from what users did: a system-prompt section of reply requirements (one line
 * per reply property found over-represented among low-quality turns, one per user-message pattern behind them),
 * and a section of exemplars built from users' edits. Two strategies: "reply-rules" (the requirements only) and
 * "edit-exemplars" (the exemplars, with the requirements when there are any). Both start from the current prompt
 * without an earlier analysis section, so accepting a candidate twice never stacks sections. Pure.
 */
import type { CandidatePrompt, CurrentPrompt } from "../candidates/candidate-prompt.js";
import type { MinedPattern } from "../mined-pattern.js";
import type { TokenEstimator } from "../token-estimate.js";
import type { ExemplarSelection, EditExemplar } from "./edit-exemplars.js";
import type { LengthTarget, ReplyProperty } from "./reply-properties.js";
import type { ReplyPropertyMining } from "./reply-property-mining.js";

export const replyRulesTitle = "【根据用户反馈补充的回答要求】";
export const exemplarsTitle = "【用户认可的回答示例（来自用户对回复的修改，个人信息已隐去）】";

/** A chat candidate: a prompt plus what it targets and the exemplars it carries. */
export interface GeneratorCandidate extends CandidatePrompt {
  /** Reply properties the candidate's requirements address (the gate reports them on the low-quality slice). */
  targetProperties: ReplyProperty[];
  exemplars: EditExemplar[];
}

export interface GeneratorCandidateInput {
  current: CurrentPrompt;
  properties: ReplyPropertyMining;
  exemplars: ExemplarSelection;
  /** User-message patterns over-represented among low-quality turns, best first (already inert text). */
  lowQualityPatterns: readonly MinedPattern[];
  estimateTokens: TokenEstimator;
}

export interface BuiltGeneratorCandidates {
  candidates: GeneratorCandidate[];
  skipped: { strategy: string; reason: string }[];
}

/** Most requirement lines; a 0.5B model follows a few short lines, not a list. */
const maxRules = 4;
/** Most user-message patterns turned into requirement lines. */
const maxPatternRules = 2;
/** Token budget of the exemplar section. */
const maxExemplarTokens = 400;

export function propertyRule(property: ReplyProperty, target: LengthTarget): string {
  const chars = Math.round(target.chars);
  switch (property) {
    case "empty":
      return "每次都要给出实质性的回答，不要留空。";
    case "too_long":
      return `回答简洁，一般不超过 ${chars} 字，先说结论。`;
    case "too_short":
      return `回答要完整，给出具体的信息或步骤（约 ${chars} 字）。`;
    case "language_mismatch":
      return "用用户使用的语言回答（用户用中文提问就用中文回答）。";
    case "refusal":
      return "能回答的问题直接回答，不要无故道歉或拒绝。";
    case "repetition":
      return "不要重复同样的句子或内容。";
    case "template_leak":
      return "只输出回答内容本身，不要输出角色名或特殊标记。";
    case "markdown":
      return "用自然的纯文本回答，不要使用 Markdown 标题、加粗、列表或表格。";
  }
}

export function patternRule(pattern: MinedPattern): string {
  return `用户问到与「${pattern.text}」有关的问题时，常常不满意：请直接给出具体、可操作的答案。`;
}

/** The current system prompt without a section an earlier analysis added. */
export function basePromptOf(systemPrompt: string): string {
  const cuts = [systemPrompt.indexOf(replyRulesTitle), systemPrompt.indexOf(exemplarsTitle)].filter(
    (i) => i >= 0,
  );
  return cuts.length === 0 ? systemPrompt : systemPrompt.slice(0, Math.min(...cuts)).trimEnd();
}

interface Requirements {
  lines: string[];
  properties: ReplyProperty[];
  patterns: MinedPattern[];
}

function requirementsOf(input: GeneratorCandidateInput): Requirements {
  const findings = input.properties.properties.filter((stat) => stat.finding);
  const properties = findings.slice(0, maxRules).map((stat) => stat.property);
  const patterns = input.lowQualityPatterns.slice(
    0,
    Math.max(0, Math.min(maxPatternRules, maxRules - properties.length)),
  );
  return {
    lines: [
      ...properties.map((property) => propertyRule(property, input.properties.lengthTarget)),
      ...patterns.map(patternRule),
    ],
    properties,
    patterns,
  };
}

function rulesSection(requirements: Requirements): string {
  return [replyRulesTitle, ...requirements.lines.map((line) => `- ${line}`)].join("\n");
}

function exemplarSection(exemplars: readonly EditExemplar[]): string {
  return [
    exemplarsTitle,
    ...exemplars.map((e, i) => `示例${i + 1}\n用户：${e.input}\n回答：${e.reply}`),
  ].join("\n");
}

function propertyEvidence(input: GeneratorCandidateInput, properties: readonly ReplyProperty[]): string[] {
  return properties.map((property) => {
    const stat = input.properties.properties.find((entry) => entry.property === property)!;
    const percent = (rate: number | null) => (rate === null ? "–" : `${(rate * 100).toFixed(0)}%`);
    return `${property}: ${stat.support} low-quality turns (${percent(stat.lowRate)} vs ${percent(stat.highRate)} of high-quality, lift ${stat.lift!.toFixed(2)}, z ${stat.z!.toFixed(2)})`;
  });
}

/** Builds the chat candidates; a strategy without material is skipped with its reason. */
export function buildGeneratorCandidates(input: GeneratorCandidateInput): BuiltGeneratorCandidates {
  const base = basePromptOf(input.current.systemPrompt);
  const requirements = requirementsOf(input);
  const candidates: GeneratorCandidate[] = [];
  const skipped: BuiltGeneratorCandidates["skipped"] = [];
  const params = input.current.params && { params: { ...input.current.params } };
  const evidence = [
    ...propertyEvidence(input, requirements.properties),
    ...requirements.patterns.map(
      (pattern) =>
        `${pattern.title}: in ${pattern.errorSupport} low-quality turns (z ${pattern.zScore.toFixed(2)})`,
    ),
  ];

  const exemplars: EditExemplar[] = [];
  let tokens = 0;
  for (const exemplar of input.exemplars.exemplars) {
    const cost = input.estimateTokens(`${exemplar.input}\n${exemplar.reply}`);
    if (tokens + cost > maxExemplarTokens) break;
    exemplars.push(exemplar);
    tokens += cost;
  }
  if (exemplars.length === 0) {
    skipped.push({
      strategy: "edit-exemplars",
      reason:
        input.exemplars.edits === 0
          ? "no user edited a reply of the current version before the holdout"
          : `none of ${input.exemplars.edits} edits was usable (${describeRejections(input.exemplars)})`,
    });
  } else {
    const sections = [
      base,
      ...(requirements.lines.length > 0 ? [rulesSection(requirements)] : []),
      exemplarSection(exemplars),
    ];
    candidates.push({
      strategy: "edit-exemplars",
      systemPrompt: sections.join("\n\n"),
      ...params,
      changes: [
        `added ${exemplars.length} exemplar(s) from users' edits (of ${input.exemplars.edits} edits)`,
        ...requirements.lines.map((line) => `added requirement: ${line}`),
      ],
      rationale: [
        `users rewrote replies of ${input.current.id}; their edits are the answers they wanted`,
        ...evidence,
      ].join("; "),
      targetPatterns: requirements.patterns.map((pattern) => pattern.id),
      targetProperties: requirements.properties,
      exemplars,
    });
  }

  if (requirements.lines.length === 0) {
    skipped.push({
      strategy: "reply-rules",
      reason: "no reply property or user-message pattern is over-represented among low-quality turns",
    });
  } else {
    candidates.push({
      strategy: "reply-rules",
      systemPrompt: `${base}\n\n${rulesSection(requirements)}`,
      ...params,
      changes: requirements.lines.map((line) => `added requirement: ${line}`),
      rationale: evidence.join("; "),
      targetPatterns: requirements.patterns.map((pattern) => pattern.id),
      targetProperties: requirements.properties,
      exemplars: [],
    });
  }
  return { candidates, skipped };
}

function describeRejections(selection: ExemplarSelection): string {
  return Object.entries(selection.rejected)
    .filter(([, count]) => count > 0)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(", ");
}
