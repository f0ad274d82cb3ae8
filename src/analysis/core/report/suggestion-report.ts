import type { SessionContributions } from "../analyze-feedback.js";
import type { ErrorExample } from "../bounded-term-counter.js";
import type { CandidatePrompt } from "../candidates/candidate-prompt.js";
import type { ConfidenceScore } from "../confidence-score.js";
import type { ConfusedPairPatterns } from "../confused-pair-patterns.js";
import type { PatternRankingOptions } from "../error-miner.js";
import type { MetricsRow } from "../metrics.js";
import type { MinedPattern } from "../mined-pattern.js";
import type { ReplayGateResult } from "../replay-gate.js";
import type { BilingualText, TriggerDecision } from "../trigger-policy.js";
import type { QualityAnalysis } from "../quality/quality-analysis.js";
import type { GeneratorGateResult } from "../generator/generator-gate.js";
import type { ReplyEvidence } from "../generator/reply-evidence.js";

export const reportTitle = "Prompt 优化建议报告";

/** An example with the part of it that matched the pattern (for highlighting). */
export interface ReportExample extends ErrorExample {
  match: string | null;
}

export interface ReportPattern extends Omit<MinedPattern, "examples"> {
  examples: ReportExample[];
}

export interface ReportCandidate {
  candidate: CandidatePrompt;
  /** null when the candidate was not replayed (then it cannot be recommended). Classifiers. */
  replay: ReplayGateResult | null;
  /** Generators: the offline gate's figures (generator-gate.ts); null when not replayed. */
  gate?: GeneratorGateResult | null;
}

/** What the analysis recommends for one task. */
export type Recommendation =
  | { decision: "no_change"; reason: BilingualText }
  | {
      decision: "create_draft";
      /** The id proposed for the new draft version. */
      versionId: string;
      fromVersionId: string;
      /** The candidate's strategy name. */
      candidate: string;
      reason: BilingualText;
    };

export interface TaskReport {
  task: string;
  kind: "classifier" | "generator";
  labels: readonly string[];
  currentVersionId: string | null;
  metrics: {
    current: MetricsRow | null;
    /** Totals per version. */
    versions: MetricsRow[];
    /** Per window and version, oldest first. */
    series: MetricsRow[];
  };
  mining: {
    documents: number;
    errorDocuments: number;
    baseErrorRate: number | null;
    patterns: ReportPattern[];
    ranking: Required<PatternRankingOptions>;
    /** Patterns that met the support minimums (the Bonferroni family size of the default minZ). */
    testedPatterns: number;
    /** The most frequent confused pairs of labels, each with the terms behind its errors. */
    confusedPairs: ConfusedPairPatterns[];
    pruning: { maxUndercount: number; prunes: number; wordsTracked: number; ngramsTracked: number };
    /** True when patterns were mined over the held-out period too (see AnalysisRunOptions.holdoutFrom). */
    includesHoldout: boolean;
    /** Labelled examples kept for candidates, and held out for replay. */
    poolSize: number;
    heldOutSize: number;
    holdoutCutoff: number | null;
  } | null;
  trigger: TriggerDecision;
  candidates: ReportCandidate[];
  skippedStrategies: { strategy: string; reason: string }[];
  /**
   * The fused quality score per version and window, the implicit signals (dwell, follow-ups, exits, copies,
   * edits), the fit of the score's weights, and (generators) the user messages over-represented among
   * low-quality turns. See docs/analysis.md#fused-quality-score.
   */
  quality: Omit<QualityAnalysis, "lowQuality" | "replies"> & {
    /** Generators: reply properties of low- vs high-quality turns and the exemplars from edits. */
    replies: Omit<ReplyEvidence, "replayItems"> | null;
    lowQuality: {
      documents: number;
      lowQualityDocuments: number;
      patterns: ReportPattern[];
      testedPatterns: number;
    } | null;
  };
  recommendation: Recommendation;
  confidence: ConfidenceScore;
  /** Feedback events and labelled interactions newer than the watermark (null without a watermark). */
  newEvents: number;
  newLabelled: number | null;
  /** Whose labels the decision rests on, and who was held to their share (FEEDBACK_MAX_SESSION_SHARE). */
  sessions: SessionContributions;
}

/** The "Prompt 优化建议报告": the JSON is the source of truth; Markdown and HTML are renderings of it. */
export interface SuggestionReport {
  schemaVersion: 1;
  title: typeof reportTitle;
  /** epoch ms, from the caller's clock. */
  generatedAt: number;
  window: { from: number | null; to: number | null };
  watermark: { previous: number | null; next: number | null };
  interactions: number;
  feedbackEvents: number;
  tasks: TaskReport[];
}
