import type { TaskAnalysis } from "../analyze-feedback.js";
import type { WordSegmenter } from "../segment-text.js";
import { createWordSegmenter } from "../segment-text.js";
import type { TokenEstimator } from "../token-estimate.js";
import { estimateTokens } from "../token-estimate.js";
import type {
  CandidateContext,
  CandidatePrompt,
  CandidateStrategy,
  CurrentPrompt,
} from "./candidate-prompt.js";
import { createExemplarsStrategy } from "./exemplars-strategy.js";
import { createFewShotMemoryStrategy } from "./few-shot-memory-strategy.js";
import { createRewriteStrategy } from "./rewrite-strategy.js";
import { createRulesStrategy } from "./rules-strategy.js";
import { isInertUserText, sanitiseUserText } from "./sanitise-user-text.js";
import type { LabelledExample } from "../labelled-example.js";
import type { MinedPattern } from "../mined-pattern.js";

/** Longest user text (after sanitising) a candidate may carry; longer examples are left out, never cut. */
export const maxCandidateTextChars = 500;

/** Options of buildCandidates. */
export interface BuildCandidatesOptions {
  /** Default: rules, exemplars, memory, and rewrite when `rewriteAnswer` is given. */
  strategies?: readonly CandidateStrategy[];
  /** The served model's answer to buildRewriteMetaPrompt, if the shell asked. */
  rewriteAnswer?: string | null;
  segmentWords?: WordSegmenter;
  estimateTokens?: TokenEstimator;
}

export interface BuiltCandidates {
  candidates: CandidatePrompt[];
  /** Strategies that proposed nothing, and why. */
  skipped: { strategy: string; reason: string }[];
}

export function defaultStrategies(rewriteAnswer: string | null = null): CandidateStrategy[] {
  return [
    createRulesStrategy(),
    createExemplarsStrategy(),
    createFewShotMemoryStrategy(),
    ...(rewriteAnswer === null ? [] : [createRewriteStrategy(rewriteAnswer)]),
  ];
}

/**
 * The labelled examples as candidates may use them: sanitised (sanitiseUserText), and without those that were
 * nothing but markup or are too long. Every strategy builds from this pool, so no user text reaches a candidate
 * prompt unsanitised.
 */
export function sanitisedPool(pool: readonly LabelledExample[]): LabelledExample[] {
  const usable: LabelledExample[] = [];
  for (const example of pool) {
    const text = sanitiseUserText(example.text);
    if (text !== "" && [...text].length <= maxCandidateTextChars) usable.push({ ...example, text });
  }
  return usable;
}

/** The mined patterns a candidate may quote (in a rule): none holding markup, template tokens or controls. */
export function proposablePatterns(patterns: readonly MinedPattern[]): MinedPattern[] {
  return patterns.filter((pattern) => isInertUserText(pattern.text));
}

/** The context strategies see for one task (also what buildRewriteMetaPrompt needs). */
export function candidateContext(
  analysis: TaskAnalysis,
  current: CurrentPrompt,
  options: Pick<BuildCandidatesOptions, "segmentWords" | "estimateTokens"> = {},
  skip: (reason: string) => null = () => null,
): CandidateContext {
  return {
    task: { task: analysis.task, labels: analysis.labels },
    current,
    patterns: proposablePatterns(analysis.mining?.patterns ?? []),
    pool: sanitisedPool(analysis.examples.pool),
    baseErrorRate: analysis.mining?.baseErrorRate ?? null,
    segmentWords: options.segmentWords ?? createWordSegmenter(),
    estimateTokens: options.estimateTokens ?? estimateTokens,
    skip,
  };
}

/**
 * Runs every strategy on one task's analysis. Call it only when the trigger says "create_draft" (it does not check).
 * Strategies run in order; a second strategy with a name already used is skipped.
 */
export function buildCandidates(
  analysis: TaskAnalysis,
  current: CurrentPrompt,
  options: BuildCandidatesOptions = {},
): BuiltCandidates {
  const strategies = options.strategies ?? defaultStrategies(options.rewriteAnswer ?? null);
  const candidates: CandidatePrompt[] = [];
  const skipped: BuiltCandidates["skipped"] = [];
  for (const strategy of strategies) {
    if (candidates.some((candidate) => candidate.strategy === strategy.name)) {
      skipped.push({ strategy: strategy.name, reason: "another strategy with this name already proposed" });
      continue;
    }
    let skipReason: string | null = null;
    const context = candidateContext(analysis, current, options, (reason) => {
      skipReason = reason;
      return null;
    });
    const candidate = strategy.propose(context);
    if (candidate === null)
      skipped.push({ strategy: strategy.name, reason: skipReason ?? "proposed nothing" });
    else candidates.push(candidate);
  }
  return { candidates, skipped };
}
