import { createHash } from "node:crypto";
import type { NamedReplaySet } from "../core/replay-sets.js";
import type { OpenExperimentHold } from "../core/report/open-experiment-hold.js";
import type { AnalysisConfig } from "../../config.js";
import type { LlmBackend } from "../../engine/llm-backend.js";
import { AppError, isAppError } from "../../errors.js";
import type { PromptStore } from "../../prompts/store/prompt-store.js";
import type { InteractionStore } from "../../feedback/store/interaction-store.js";
import type { AnalysisEvidenceQueries } from "./evidence-queries.js";
import type { FewShotMemory } from "./few-shot-memory.js";
import { loadTaskSetups, runAnalysisJob, type AnalysisProgress } from "./run-analysis-job.js";
import type { AnalysisRunStore, AnalysisRunSummary, AnalysisTrigger } from "./analysis-run-store.js";
import { saveDrafts } from "./save-drafts.js";
import { reportIdFor, type ReportFileStore } from "./report-file-store.js";
import type { ReportFormat } from "./render-stored-report.js";
import type { DraftOutcome, StoredReport } from "./stored-report.js";

/**
 * A running row whose heartbeat is older than this was left by a process that died (a replica killed mid-run): the
 * next run, on any replica, takes over. Heartbeats come from a timer, so a long replay step can't look dead.
 */
const staleLockMs = 60_000;
const heartbeatEveryMs = 15_000;

/** Optional reactions to a run, e.g. the rollout starting a canary for a new draft. */
export interface AnalysisHooks {
  /** Called once per draft the run saved (not for drafts that already existed). */
  onCandidateProposed?(versionId: string, report: StoredReport): Promise<void> | void;
  /** Called after every completed run (not after skipped ones). */
  afterRun?(report: StoredReport): Promise<void> | void;
}

/**
 * Hooks that call each of the given hooks in order. Every one runs even when an earlier one fails; failures are
 * rethrown together afterwards (the service logs them, the run itself has already completed).
 */
export function combineAnalysisHooks(...all: readonly (AnalysisHooks | undefined)[]): AnalysisHooks {
  const hooks = all.filter((entry): entry is AnalysisHooks => entry !== undefined);
  const each = async (call: (hook: AnalysisHooks) => Promise<void> | void | undefined) => {
    const errors: unknown[] = [];
    for (const hook of hooks) {
      try {
        await call(hook);
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, errors.map(String).join("; "));
  };
  return {
    onCandidateProposed: (versionId, report) => each((hook) => hook.onCandidateProposed?.(versionId, report)),
    afterRun: (report) => each((hook) => hook.afterRun?.(report)),
  };
}

export interface AnalysisServiceDeps {
  interactions: InteractionStore;
  prompts: PromptStore;
  runs: AnalysisRunStore;
  evidence: AnalysisEvidenceQueries;
  reports: ReportFileStore;
  /** The served model, for replay and rewrites; null when not loaded (runs must then pass replay: false). */
  backend: LlmBackend | null;
  memory: FewShotMemory;
  settings: AnalysisConfig;
  hooks?: AnalysisHooks;
  now?: () => number;
  /** The task's named regression sets (triage), which the replay gate replays for every candidate. */
  regressionSets?: (task: string) => Promise<NamedReplaySet[]>;
  /** The task's open experiment, if any: while one runs the analysis builds no candidate for the task. */
  openExperiment?: (task: string) => Promise<OpenExperimentHold | null>;
  /** Where hook failures and scheduled-run outcomes are reported. */
  log?: (level: "info" | "warn" | "error", message: string) => void;
}

export interface AnalysisRunRequest {
  trigger: AnalysisTrigger;
  /**
   * Replay candidates through the model (default true). A run without replay recommends nothing, saves no draft
   * and does not move the watermark: it only shows metrics, patterns and unscored candidates.
   */
  replay?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: AnalysisProgress) => void;
}

export interface AnalysisOutcome {
  /** `skipped`: nothing that decides the outcome changed since the last run, whose report is returned. */
  status: "completed" | "skipped";
  reason: string;
  reportId: string;
  drafts: DraftOutcome[];
  report: StoredReport;
}

/** One line of the report listing. */
export interface ReportListing extends AnalysisRunSummary {
  id: string;
  runId: number;
  trigger: AnalysisTrigger;
  replayed: boolean;
  startedAt: number;
  finishedAt: number | null;
  watermark: { from: number | null; to: number | null };
}

/** What the console shows about runs started by this process: the one going on, with its progress, and the last. */
export interface AnalysisStatus {
  running: { trigger: AnalysisTrigger; startedAt: number; progress: AnalysisProgress | null } | null;
  last: {
    trigger: AnalysisTrigger;
    finishedAt: number;
    outcome: "completed" | "skipped" | "failed";
    reportId: string | null;
    error: string | null;
  } | null;
}

export interface AnalysisService {
  /** Runs now; CONFLICT while another run (in this or another process) is in progress. */
  run(request: AnalysisRunRequest): Promise<AnalysisOutcome>;
  readonly running: boolean;
  /** The run in progress in this process (with its latest progress) and how the last one ended. */
  status(): AnalysisStatus;
  listReports(limit?: number): Promise<ReportListing[]>;
  readReport(id: string, format: ReportFormat): Promise<string>;
  /** Cancels a run in progress and waits for it to stop. */
  close(): Promise<void>;
}

/**
 * The analysis job's I/O shell: decides whether anything is new, holds the lock, runs the job, saves the drafts,
 * writes the report files, records the watermark, and calls the hooks.
 */
export function createAnalysisService(deps: AnalysisServiceDeps): AnalysisService {
  const now = deps.now ?? Date.now;
  const log = deps.log ?? (() => {});
  let inFlight: { promise: Promise<unknown>; abort: AbortController } | null = null;
  let current: AnalysisStatus["running"] = null;
  let last: AnalysisStatus["last"] = null;

  async function execute(request: AnalysisRunRequest, abort: AbortController): Promise<AnalysisOutcome> {
    const replay = request.replay ?? true;
    if (replay && deps.backend === null) {
      throw new AppError("VALIDATION_FAILED", "Replay needs the model: load it, or run without replay");
    }
    const tasks = await loadTaskSetups(deps.prompts);
    const fingerprint = fingerprintOf(
      deps.settings,
      tasks.map((setup) => setup.current?.id ?? `${setup.spec.task}@-`),
    );
    const [latestEventId, previous] = await Promise.all([
      deps.evidence.maxFeedbackEventId(),
      deps.runs.lastReplayed(),
    ]);
    if (
      replay &&
      previous?.reportId != null &&
      previous.fingerprint === fingerprint &&
      previous.watermarkTo === latestEventId &&
      (await deps.reports.has(previous.reportId))
    ) {
      const report = await deps.reports.load(previous.reportId);
      return {
        status: "skipped",
        reason:
          `no new feedback since run #${previous.id} (watermark ${previous.watermarkTo ?? "none"}), ` +
          `and the settings and active versions are unchanged: its report stands`,
        reportId: previous.reportId,
        drafts: report.run.drafts,
        report,
      };
    }

    const startedAt = now();
    // A run without replay is a preview outside the incremental sequence: it neither needs new feedback to show
    // candidates nor moves the watermark.
    const sinceEventId = replay ? (previous?.watermarkTo ?? null) : null;
    // A run replays through the model and writes a report: on a full or failing disk, refuse before all that.
    await deps.interactions.assertCanRecord();
    const runId = await deps.runs.begin({
      trigger: request.trigger,
      replayed: replay,
      fingerprint,
      watermarkFrom: sinceEventId,
      now: startedAt,
      staleAfterMs: staleLockMs,
    });
    const reportId = reportIdFor(runId, startedAt);
    const heartbeat = setInterval(
      () => void deps.runs.heartbeat(runId, now()).catch(() => {}),
      heartbeatEveryMs,
    );
    heartbeat.unref();
    const signal =
      request.signal === undefined ? abort.signal : AbortSignal.any([abort.signal, request.signal]);
    try {
      const result = await runAnalysisJob(
        { ...deps, now },
        {
          tasks,
          sinceEventId,
          replay,
          reportId,
          signal,
          onProgress: (progress) => request.onProgress?.(progress),
        },
      );
      const drafts = await saveDrafts(deps.prompts, result, reportId, now());
      const report: StoredReport = {
        ...result.report,
        id: reportId,
        run: {
          runId,
          trigger: request.trigger,
          startedAt,
          finishedAt: now(),
          replay: { enabled: replay, ...result.replay },
          drafts,
          settings: deps.settings,
        },
      };
      await deps.reports.save(report);
      await deps.runs.complete(runId, {
        reportId,
        watermarkTo: report.watermark.next,
        summary: summaryOf(report),
        now: report.run.finishedAt,
      });
      await callHooks(report);
      const decided = report.tasks.map((task) => `${task.task}: ${task.recommendation.decision}`).join(", ");
      return { status: "completed", reason: decided, reportId, drafts, report };
    } catch (error) {
      const message = isAppError(error) ? `${error.code}: ${error.message}` : String(error);
      await deps.runs.fail(runId, { error: message, now: now() }).catch(() => {});
      throw error;
    } finally {
      clearInterval(heartbeat);
    }
  }

  async function callHooks(report: StoredReport): Promise<void> {
    for (const draft of report.run.drafts.filter((entry) => entry.created)) {
      try {
        await deps.hooks?.onCandidateProposed?.(draft.versionId, report);
      } catch (error) {
        log("error", `analysis hook onCandidateProposed(${draft.versionId}) failed: ${String(error)}`);
      }
    }
    try {
      await deps.hooks?.afterRun?.(report);
    } catch (error) {
      log("error", `analysis hook afterRun failed: ${String(error)}`);
    }
  }

  return {
    run(request) {
      if (inFlight !== null) {
        return Promise.reject(
          new AppError("CONFLICT", "An analysis run is already in progress; try again when it has finished"),
        );
      }
      const abort = new AbortController();
      const started = {
        trigger: request.trigger,
        startedAt: now(),
        progress: null as AnalysisProgress | null,
      };
      current = started;
      const tracked: AnalysisRunRequest = {
        ...request,
        onProgress: (progress) => {
          started.progress = progress;
          request.onProgress?.(progress);
        },
      };
      const finish = (outcome: NonNullable<AnalysisStatus["last"]>) => {
        last = outcome;
        current = null;
        inFlight = null;
      };
      const promise = execute(tracked, abort).then(
        (result) => {
          finish({
            trigger: request.trigger,
            finishedAt: now(),
            outcome: result.status,
            reportId: result.reportId,
            error: null,
          });
          return result;
        },
        (error: unknown) => {
          finish({
            trigger: request.trigger,
            finishedAt: now(),
            outcome: "failed",
            reportId: null,
            error: error instanceof Error ? error.message : String(error),
          });
          throw error;
        },
      );
      inFlight = { promise, abort };
      return promise;
    },
    get running() {
      return inFlight !== null;
    },
    status() {
      return { running: current && { ...current }, last };
    },
    async listReports(limit = 50) {
      const runs = await deps.runs.listWithReports(limit);
      return runs.map((run) => ({
        id: run.reportId!,
        runId: run.id,
        trigger: run.trigger,
        replayed: run.replayed,
        startedAt: run.startedAt,
        finishedAt: run.finishedAt,
        watermark: { from: run.watermarkFrom, to: run.watermarkTo },
        tasks: run.summary.tasks ?? [],
        drafts: run.summary.drafts ?? [],
      }));
    },
    readReport(id, format) {
      return deps.reports.read(id, format);
    },
    async close() {
      const running = inFlight;
      if (running === null) return;
      running.abort.abort();
      await running.promise.catch(() => {});
    },
  };
}

/** Everything besides feedback that decides a run's outcome; a change means the last report may not stand. */
function fingerprintOf(settings: AnalysisConfig, currentVersions: readonly string[]): string {
  return createHash("sha256")
    .update(JSON.stringify({ settings, currentVersions: [...currentVersions].sort() }))
    .digest("hex")
    .slice(0, 32);
}

function summaryOf(report: StoredReport): AnalysisRunSummary {
  return {
    tasks: report.tasks.map((task) => ({
      task: task.task,
      decision: task.recommendation.decision,
      ...(task.recommendation.decision === "create_draft" && { versionId: task.recommendation.versionId }),
      reason: task.recommendation.reason.en,
    })),
    drafts: report.run.drafts.map(({ task, versionId, created }) => ({ task, versionId, created })),
  };
}
