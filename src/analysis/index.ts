/**
 * The pure core of the analysis job. The I/O shell (CLI `promptloop analyze`, the cron schedule and
 * `POST /api/admin/analyze`) streams stored interactions into createAnalysisRun, builds candidates, replays them
 * through the engine, and writes the report rendered here. Nothing in this folder does I/O or reads the clock.
 */
export type {
  FeedbackEvent,
  FeedbackEventType,
  InteractionWithFeedback,
  StoredInteraction,
  TaskDefinition,
} from "./analysis-input.js";
export { createAnalysisRun } from "./analyze-feedback.js";
export type {
  AnalysisResult,
  AnalysisRun,
  AnalysisRunOptions,
  AnalysisTaskSpec,
  ExampleSplit,
  TaskAnalysis,
} from "./analyze-feedback.js";
export { resolveGroundTruth } from "./resolve-ground-truth.js";
export type { GroundTruth, GroundTruthSource } from "./resolve-ground-truth.js";
export { createMetricsAccumulator } from "./metrics.js";
export type { ConfusionCell, MetricsAccumulator, MetricsOptions, MetricsRow } from "./metrics.js";
export { wilsonInterval } from "./wilson-interval.js";
export { createErrorMiner } from "./error-miner.js";
export type {
  ErrorMiner,
  ErrorMinerOptions,
  ErrorMiningResult,
  MinedDocument,
  PatternRankingOptions,
} from "./error-miner.js";
export type { MinedPattern, PatternDirection, PatternKind } from "./mined-pattern.js";
export { detectStructuralPatterns, structuralPatterns } from "./structural-patterns.js";
export { findPatternMatch } from "./pattern-matcher.js";
export { createWordSegmenter } from "./segment-text.js";
export { createBm25Index, createZhTokenizer } from "./bm25-index.js";
export { splitByTime } from "./split-by-time.js";
export { createSeededRandom } from "./seeded-random.js";
export { estimateTokens } from "./token-estimate.js";
export type { LabelledExample } from "./labelled-example.js";
export { buildCandidates, candidateContext, defaultStrategies } from "./candidates/build-candidates.js";
export type { BuildCandidatesOptions, BuiltCandidates } from "./candidates/build-candidates.js";
export type {
  CandidateContext,
  CandidatePrompt,
  CandidateStrategy,
  CurrentPrompt,
  FewShotExample,
  RetrievalConfig,
} from "./candidates/candidate-prompt.js";
export { createRulesStrategy } from "./candidates/rules-strategy.js";
export { createExemplarsStrategy } from "./candidates/exemplars-strategy.js";
export { createFewShotMemoryStrategy } from "./candidates/few-shot-memory-strategy.js";
export {
  buildRewriteMetaPrompt,
  createRewriteStrategy,
  parseRewriteAnswer,
} from "./candidates/rewrite-strategy.js";
export type { MetaPrompt } from "./candidates/rewrite-strategy.js";
export { createFewShotRetriever } from "./candidates/few-shot-retriever.js";
export type { FewShotRetriever } from "./candidates/few-shot-retriever.js";
export { buildReplaySets } from "./replay-sets.js";
export type { ReplayItem, ReplaySets } from "./replay-sets.js";
export { decideReplayGate } from "./replay-gate.js";
export type { ReplayGateOptions, ReplayGateResult, ReplayPredictions, ReplayStats } from "./replay-gate.js";
export { decideTrigger, defaultTriggerPolicy } from "./trigger-policy.js";
export type { BilingualText, TriggerDecision, TriggerPolicy } from "./trigger-policy.js";
export { draftConfidence, noChangeConfidence } from "./confidence-score.js";
export type { ConfidenceScore } from "./confidence-score.js";
export { buildReport } from "./report/build-report.js";
export type { BuildReportInput, TaskReportInput } from "./report/build-report.js";
export { nextVersionId } from "./report/next-version-id.js";
export { renderReportMarkdown } from "./report/render-markdown.js";
export { renderReportHtml } from "./report/render-html.js";
export type { Recommendation, SuggestionReport, TaskReport } from "./report/suggestion-report.js";
