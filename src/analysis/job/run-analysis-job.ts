import { createAnalysisRun, type AnalysisTaskSpec, type TaskAnalysis } from "../core/analyze-feedback.js";
import { buildCandidates, defaultStrategies } from "../core/candidates/build-candidates.js";
import { decideReplayGate, type ReplayGateResult } from "../core/replay-gate.js";
import { buildReplaySets, type NamedReplaySet } from "../core/replay-sets.js";
import { buildReport, type TaskReportInput } from "../core/report/build-report.js";
import { nextVersionId } from "../core/report/next-version-id.js";
import type { SuggestionReport } from "../core/report/suggestion-report.js";
import type { AnalysisConfig } from "../../config.js";
import type { LlmBackend } from "../../engine/llm-backend.js";
import { AppError } from "../../errors.js";
import type { PromptStore, PromptVersion } from "../../prompts/store/prompt-store.js";
import type { InteractionStore } from "../../feedback/store/interaction-store.js";
import type { AnalysisJobResult, PlannedDraft } from "./analysis-job-result.js";
import { candidateDefinition, currentPromptOf, findEquivalentVersion } from "./save-drafts.js";
import type { AnalysisEvidenceQueries } from "./evidence-queries.js";
import type { FewShotMemory } from "./few-shot-memory.js";
import { replayVersion } from "./replay-version.js";
import { rewriteStrategyFromModel } from "./rewrite-strategy-from-model.js";
import { toAnalysisItem } from "./to-analysis-item.js";
import { withoutSessionDominatedPatterns } from "./audit-pattern-sessions.js";
import { activeVersionId } from "../../prompts/prompt-label.js";
import { redactPersonalData } from "../../feedback/redact-personal-data.js";
import { chatCandidatesFor } from "./chat-candidates.js";
import { accountReplayCost } from "./account-replay-cost.js";
import type { OpenExperimentHold } from "../core/report/open-experiment-hold.js";

const dayMs = 86_400_000;
/** Below this many labelled interactions a time cutoff is meaningless; the core then splits its sample itself. */
const minLabelledForCutoff = 10;

/** A task as the job sees it: the core's spec, the version serving now, and every version of the task. */
export interface AnalysisTaskSetup {
  spec: AnalysisTaskSpec;
  /** The version holding the `active` label (what users are served, and what a draft starts from). */
  current: PromptVersion | null;
  versions: PromptVersion[];
}

/** Every task in the registry, with its active version; tasks without one are analysed for metrics only. */
export async function loadTaskSetups(prompts: PromptStore): Promise<AnalysisTaskSetup[]> {
  const [versions, labels] = await Promise.all([prompts.listVersions(), prompts.listLabels()]);
  const tasks = [...new Set(versions.map((version) => version.definition.task))].sort();
  return tasks.map((task) => {
    const ofTask = versions.filter((version) => version.definition.task === task);
    const activeId = activeVersionId(labels, task);
    const current = ofTask.find((version) => version.id === activeId) ?? null;
    const definition = (current ?? ofTask.at(-1)!).definition;
    const spec: AnalysisTaskSpec = {
      task,
      ...(definition.kind === "classifier" && definition.labels && { labels: definition.labels }),
      ...(current && { currentVersionId: current.id }),
    };
    return { spec, current, versions: ofTask };
  });
}

/** Where a run is, for progress bars. */
export type AnalysisProgress =
  | { phase: "stream"; done: number; total: number }
  | { phase: "rewrite"; task: string }
  | { phase: "replay"; done: number; total: number; task: string };

export interface AnalysisJobDeps {
  interactions: InteractionStore;
  evidence: AnalysisEvidenceQueries;
  /** The served model; null when it isn't loaded (then nothing is replayed). */
  backend: LlmBackend | null;
  memory: FewShotMemory;
  settings: AnalysisConfig;
  now: () => number;
  /** The task's named regression sets (triage), replayed for every candidate; none when absent. */
  regressionSets?: (task: string) => Promise<NamedReplaySet[]>;
  /** The task's open experiment (rollout), if any: candidates wait until it ends. None when absent. */
  openExperiment?: (task: string) => Promise<OpenExperimentHold | null>;
}

export interface AnalysisJobInput {
  tasks: readonly AnalysisTaskSetup[];
  /** The previous run's watermark (feedback event id). */
  sinceEventId: number | null;
  /** Score candidates through the engine (needs a backend). */
  replay: boolean;
  /** Written into each draft's description. */
  reportId: string;
  signal?: AbortSignal;
  onProgress?: (progress: AnalysisProgress) => void;
}

/**
 * One analysis pass: streams the window's history through the core, builds candidates where the trigger fires,
 * replays them through the engine, assembles the report, and plans (does not save) the recommended drafts.
 */
export async function runAnalysisJob(
  deps: AnalysisJobDeps,
  input: AnalysisJobInput,
): Promise<AnalysisJobResult> {
  const { settings } = deps;
  const checkCancelled = () => {
    if (input.signal?.aborted) throw new AppError("CLIENT_CLOSED", "The analysis run was cancelled");
  };
  const since = settings.windowDays > 0 ? deps.now() - settings.windowDays * dayMs : null;
  const classifierVersions = input.tasks
    .filter((setup) => setup.spec.labels !== undefined && setup.current !== null)
    .map((setup) => setup.current!.id);
  const holdoutFrom = await deps.evidence.holdoutCutoff({
    versionIds: classifierVersions,
    since,
    fraction: settings.holdoutFraction,
    minLabelled: minLabelledForCutoff,
  });
  const run = createAnalysisRun({
    tasks: input.tasks.map((setup) => setup.spec),
    sinceEventId: input.sinceEventId,
    holdoutFrom,
    holdoutFraction: settings.holdoutFraction,
    trigger: {
      errorRateThreshold: settings.errorRateThreshold,
      minLabelledSamples: settings.minLabelledSamples,
      rule: settings.trigger,
    },
    ranking: { minSupport: settings.minPatternSupport },
    maxSessionShare: settings.maxSessionShare,
    maskPersonalData: redactPersonalData,
  });
  const total = await deps.evidence.countInteractions(since);
  let streamed = 0;
  input.onProgress?.({ phase: "stream", done: 0, total });
  for await (const stored of deps.interactions.streamWithFeedback(since === null ? {} : { since })) {
    run.add(toAnalysisItem(stored));
    streamed += 1;
    if (streamed % 500 === 0) {
      checkCancelled();
      input.onProgress?.({ phase: "stream", done: streamed, total: Math.max(total, streamed) });
    }
  }
  input.onProgress?.({ phase: "stream", done: streamed, total: Math.max(total, streamed) });
  const analysis = await withoutSessionDominatedPatterns(deps, run.finish(), {
    tasks: input.tasks,
    holdoutFrom,
    since,
  });

  const replayCost = { calls: 0, failures: 0, firstFailure: null as string | null, durationMs: 0 };
  const taskInputs: Record<string, TaskReportInput> = {};
  for (const setup of input.tasks) {
    const taskAnalysis = analysis.tasks.find((task) => task.task === setup.spec.task);
    if (taskAnalysis === undefined || setup.current === null) continue;
    const draftVersionId = nextVersionId(
      setup.current.id,
      setup.versions.map((version) => version.id),
    );
    const open =
      taskAnalysis.trigger.decision === "create_draft" ? await deps.openExperiment?.(setup.spec.task) : null;
    if (open) {
      taskInputs[setup.spec.task] = { draftVersionId, openExperiment: open };
      continue;
    }
    taskInputs[setup.spec.task] = {
      draftVersionId,
      ...(taskAnalysis.kind === "classifier" &&
        taskAnalysis.trigger.decision === "create_draft" &&
        (await candidatesFor(deps, input, setup.current, taskAnalysis, replayCost))),
      ...(taskAnalysis.kind === "generator" &&
        taskAnalysis.trigger.decision === "create_draft" &&
        (await chatCandidatesFor(
          {
            backend: input.replay ? deps.backend : null,
            settings: deps.settings,
            signal: input.signal,
            onProgress: input.onProgress,
          },
          setup.current,
          taskAnalysis,
          replayCost,
        ))),
    };
  }

  let report = buildReport({ analysis, generatedAt: deps.now(), tasks: taskInputs });
  const drafts = planDrafts(report, input);
  // A recommended candidate identical to a stored version is that version: say so instead of a new id.
  const renamed = drafts.filter((draft) => draft.existing !== undefined);
  if (renamed.length > 0) {
    for (const draft of renamed) taskInputs[draft.task]!.draftVersionId = draft.existing!.id;
    report = buildReport({ analysis, generatedAt: report.generatedAt, tasks: taskInputs });
  }
  return { report, drafts, replay: replayCost };
}

/** Builds one task's candidates and, when replaying, scores each one and the current version on the same items. */
async function candidatesFor(
  deps: AnalysisJobDeps,
  input: AnalysisJobInput,
  current: PromptVersion,
  analysis: TaskAnalysis,
  cost: AnalysisJobResult["replay"],
): Promise<Pick<TaskReportInput, "candidates" | "replays">> {
  const backend = input.replay ? deps.backend : null;
  const prompt = currentPromptOf(current);
  const strategies = defaultStrategies();
  if (deps.settings.rewrite) {
    if (backend === null) {
      strategies.push({
        name: "rewrite",
        propose: (context) => context.skip("replay is off, so the model was not asked for a rewrite"),
      });
    } else {
      input.onProgress?.({ phase: "rewrite", task: analysis.task });
      strategies.push(await rewriteStrategyFromModel(backend, analysis, prompt, input.signal));
    }
  }
  const candidates = buildCandidates(analysis, prompt, { strategies });
  if (backend === null || candidates.candidates.length === 0) return { candidates };

  const started = Date.now();
  const sets = buildReplaySets(
    analysis,
    { maxHeldOut: deps.settings.replayMaxHeldOut, maxRegression: deps.settings.replayMaxRegression },
    (await deps.regressionSets?.(analysis.task)) ?? [],
  );
  const total = sets.inputs.length * (candidates.candidates.length + 1);
  let done = 0;
  const options = {
    memory: deps.memory,
    ...(input.signal && { signal: input.signal }),
    onItem: () => {
      done += 1;
      if (done % 10 === 0 || done === total) {
        input.onProgress?.({ phase: "replay", done, total, task: analysis.task });
      }
    },
  };
  input.onProgress?.({ phase: "replay", done: 0, total, task: analysis.task });
  const replays: Record<string, ReplayGateResult> = {};
  const baseline = await replayVersion(backend, current.definition, sets.inputs, options);
  accountReplayCost(cost, baseline, sets.inputs.length);
  for (const candidate of candidates.candidates) {
    const definition = candidateDefinition(current.definition, candidate, current.id);
    const outcome = await replayVersion(backend, definition, sets.inputs, options);
    accountReplayCost(cost, outcome, sets.inputs.length);
    replays[candidate.strategy] = decideReplayGate({
      heldOut: sets.heldOut,
      regression: sets.regression,
      current: baseline.predictions,
      candidate: outcome.predictions,
      targetPatterns: candidate.targetPatterns,
      named: sets.named,
    });
  }
  cost.durationMs += Date.now() - started;
  return { candidates, replays };
}

function planDrafts(report: SuggestionReport, input: AnalysisJobInput): PlannedDraft[] {
  const drafts: PlannedDraft[] = [];
  for (const task of report.tasks) {
    const recommendation = task.recommendation;
    if (recommendation.decision !== "create_draft") continue;
    const setup = input.tasks.find((candidate) => candidate.spec.task === task.task);
    const entry = task.candidates.find(
      (candidate) => candidate.candidate.strategy === recommendation.candidate,
    );
    if (setup?.current == null || entry === undefined) continue;
    const definition = candidateDefinition(
      setup.current.definition,
      entry.candidate,
      recommendation.versionId,
      `analysis report ${input.reportId}: candidate "${entry.candidate.strategy}" from ${setup.current.id}`,
    );
    drafts.push({
      task: task.task,
      versionId: recommendation.versionId,
      parent: setup.current,
      candidate: entry.candidate,
      definition,
      existing: findEquivalentVersion(definition, setup.versions),
    });
  }
  return drafts;
}
