import type { AnalysisResult, TaskAnalysis } from "../analyze-feedback.js";
import type { BuiltCandidates } from "../candidates/build-candidates.js";
import { findPatternMatch } from "../pattern-matcher.js";
import type { ReplayGateResult } from "../replay-gate.js";
import type { GeneratorGateResult } from "../generator/generator-gate.js";
import { nextVersionId } from "./next-version-id.js";
import { recommend } from "./recommend.js";
import type { ReportCandidate, SuggestionReport, TaskReport } from "./suggestion-report.js";
import { reportTitle } from "./suggestion-report.js";
import type { OpenExperimentHold } from "./open-experiment-hold.js";

/** What the I/O shell adds for one task on top of the analysis. */
export interface TaskReportInput {
  /** From buildCandidates (only built when the trigger fired). */
  candidates?: BuiltCandidates;
  /** Replay gate results by candidate strategy name. */
  replays?: Readonly<Record<string, ReplayGateResult>>;
  /** Generators: the offline gate's results by candidate strategy name. */
  generatorGates?: Readonly<Record<string, GeneratorGateResult>>;
  /** The id the registry will give a new draft; default nextVersionId(current). */
  draftVersionId?: string;
  /** The task's experiment still open: while it runs, no candidate is built and nothing is recommended. */
  openExperiment?: OpenExperimentHold;
}

export interface BuildReportInput {
  analysis: AnalysisResult;
  /** epoch ms, from the caller's clock (the core never reads the clock). */
  generatedAt: number;
  /** By task name. */
  tasks?: Readonly<Record<string, TaskReportInput>>;
}

/** Assembles the suggestion report; pure, so the same analysis and inputs give the same report. */
export function buildReport(input: BuildReportInput): SuggestionReport {
  return {
    schemaVersion: 1,
    title: reportTitle,
    generatedAt: input.generatedAt,
    window: input.analysis.window,
    watermark: input.analysis.watermark,
    interactions: input.analysis.interactions,
    feedbackEvents: input.analysis.feedbackEvents,
    tasks: input.analysis.tasks.map((analysis) => taskReport(analysis, input.tasks?.[analysis.task] ?? {})),
  };
}

function taskReport(analysis: TaskAnalysis, extra: TaskReportInput): TaskReport {
  const candidates: ReportCandidate[] = (extra.candidates?.candidates ?? []).map((candidate) => ({
    candidate,
    replay: extra.replays?.[candidate.strategy] ?? null,
    ...(analysis.kind === "generator" && { gate: extra.generatorGates?.[candidate.strategy] ?? null }),
  }));
  const draftVersionId =
    extra.draftVersionId ?? nextVersionId(analysis.currentVersionId ?? `${analysis.task}@v1`);
  const { recommendation, confidence } = recommend(
    analysis,
    candidates,
    draftVersionId,
    extra.openExperiment,
  );
  const mining = analysis.mining;
  return {
    task: analysis.task,
    kind: analysis.kind,
    labels: analysis.labels,
    currentVersionId: analysis.currentVersionId,
    metrics: { current: analysis.current, versions: analysis.versions, series: analysis.series },
    mining:
      mining === null
        ? null
        : {
            documents: mining.documents,
            errorDocuments: mining.errorDocuments,
            baseErrorRate: mining.baseErrorRate,
            patterns: mining.patterns.map((pattern) => ({
              ...pattern,
              examples: pattern.examples.map((example) => ({
                ...example,
                match: findPatternMatch(pattern, example.text),
              })),
            })),
            ranking: mining.ranking,
            testedPatterns: mining.testedPatterns,
            confusedPairs: mining.confusedPairs,
            pruning: mining.pruning,
            includesHoldout: analysis.examples.miningIncludesHoldout,
            poolSize: analysis.examples.pool.length,
            heldOutSize: analysis.examples.heldOut.length,
            holdoutCutoff: analysis.examples.cutoff,
          },
    trigger: analysis.trigger,
    candidates,
    skippedStrategies: extra.candidates?.skipped ?? [],
    quality: {
      ...analysis.quality,
      replies: withoutReplayItems(analysis.quality.replies),
      lowQuality:
        analysis.quality.lowQuality === null
          ? null
          : {
              documents: analysis.quality.lowQuality.documents,
              lowQualityDocuments: analysis.quality.lowQuality.errorDocuments,
              patterns: analysis.quality.lowQuality.patterns.map((pattern) => ({
                ...pattern,
                examples: pattern.examples.map((example) => ({
                  ...example,
                  match: findPatternMatch(pattern, example.text),
                })),
              })),
              testedPatterns: analysis.quality.lowQuality.testedPatterns,
            },
    },
    recommendation,
    confidence,
    newEvents: analysis.newEvents,
    newLabelled: analysis.newLabelled,
    sessions: analysis.sessions,
  };
}

function withoutReplayItems<T extends { replayItems: unknown }>(
  replies: T | null,
): Omit<T, "replayItems"> | null {
  if (replies === null) return null;
  const { replayItems: _left, ...rest } = replies;
  return rest;
}
