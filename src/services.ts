import path from "node:path";
import type { Config } from "./config.js";
import type { LlmBackend } from "./engine/llm-backend.js";
import { admitRequests, type AdmittedBackends } from "./engine/admission/admitted-backend.js";
import { monitorEngine, type EngineMonitor } from "./engine/engine-monitor.js";
import type { DownloadProgress } from "./engine/local/resolve-model-path.js";
import { createFeedbackTokens, feedbackTokenKey } from "./feedback/feedback-token.js";
import { createIdentityHasher, loadOrCreateSalt } from "./feedback/identity-hasher.js";
import { loadOrCreateSharedSalt } from "./feedback/shared-salt.js";
import { createSqlInteractionStore } from "./feedback/store/sql-interaction-store.js";
import { createSqlAnalysisRunStore } from "./analysis/job/analysis-run-store.js";
import type { AnalysisHooks } from "./analysis/job/analysis-service.js";
import { createAnalysisEvidenceQueries } from "./analysis/job/evidence-queries.js";
import { createReportFileStore, reportsFolderName } from "./analysis/job/report-file-store.js";
import { readPromptDirectory } from "./prompts/prompt-directory.js";
import { createSqlPromptStore } from "./prompts/store/sql-prompt-store.js";
import { syncPromptFiles } from "./prompts/sync-prompt-files.js";
import { createSqlRolloutStore } from "./rollout/store/sql-rollout-store.js";
import { createSqlMemoryStore } from "./memory/store/sql-memory-store.js";
import { createSqlRegressionSetStore } from "./triage/regression-sets/sql-regression-set-store.js";
import { validateAnalysisCron } from "./analysis/job/analysis-schedule.js";
import { validateRolloutCron } from "./rollout/service/rollout-schedule.js";
import { createFleetJobs, type FleetJobs } from "./scheduling/fleet-jobs.js";
import { createSqlJobLeaseStore } from "./scheduling/sql-job-lease-store.js";
import type { SessionRevocationStore } from "./server/session/session-revocation-store.js";
import { createSqlSessionRevocationStore } from "./server/session/sql-session-revocation-store.js";
import { openDatabase } from "./storage/open-database.js";
import { memoryRateLimits } from "./rate-limits/rate-limits.js";
import { postgresRateLimits } from "./rate-limits/postgres-rate-limits.js";
import type { OpenedDatabase } from "./storage/opened-database.js";
import {
  instrumentAnalysis,
  instrumentBackend,
  instrumentInteractionStore,
  instrumentRolloutStore,
} from "./metrics/instrument.js";
import { createServiceMetrics, type ServiceMetrics } from "./metrics/service-metrics.js";
import { composeServices, type ComposedServices, type ServiceLog } from "./compose-services.js";

export type { ServiceLog, Stores } from "./compose-services.js";

/** What a caller may replace or decide when it builds the services. Everything has a production default. */
export interface ServiceOverrides {
  /** Use this backend instead of loading MODEL_PATH. The caller keeps it: `close()` does not dispose of it. */
  backend?: LlmBackend;
  /**
   * Load the model from MODEL_PATH when no backend is given (default true). Commands that need no model pass
   * false; the services then have no task service and the analysis runs without replay only.
   */
  loadModel?: boolean;
  /** Sequences of a loaded model (default SEQUENCES); `promptloop analyze` replays on one. */
  sequences?: number;
  /**
   * Create the database when there is none (default true, as `serve` does). Commands that only work on existing data
   * pass false: a mistyped DATA_DIR is then DATABASE_NOT_FOUND instead of a new empty database.
   */
  createDatabase?: boolean;
  /** Load new prompt files from PROMPTS_DIR into the registry first (default true), as `serve` does. */
  syncPromptFiles?: boolean;
  now?: () => number;
  /** Names new experiments (default `exp-<task>-<version>-<random>`); the simulation makes runs repeatable with it. */
  newExperimentId?: (task: string, candidateVersionId: string) => string;
  /** More reactions to analysis runs, called after the rollout's (canary start, then evaluation). */
  analysisHooks?: AnalysisHooks;
  /** Where the services' own lines go (analysis outcomes, canary starts); `setLog` can change it later. */
  log?: ServiceLog;
  /** Each start-up step, for the CLI's progress output. */
  onStep?: (message: string) => void;
  onDownloadProgress?: (progress: DownloadProgress) => void;
}

/** Every feature's service, built once from configuration: what `serve`, every CLI command and the tests use. */
export interface Services extends ComposedServices {
  /** DATABASE_URL's PostgreSQL, or the SQLite database in DATA_DIR. */
  database: OpenedDatabase;
  /** Runs each scheduled tick (analysis, rollout looks, retention) on one replica of those sharing the database. */
  fleet: FleetJobs;
  /** Console sessions signed out before they expired (checked by every replica on the database). */
  sessionRevocations: SessionRevocationStore;
  /** Watches the features' model calls for /api/health; null without a model. */
  engine: EngineMonitor | null;
  /** The bounded queue in front of the model (MAX_QUEUED_REQUESTS, deadlines); null without a model. */
  admission: AdmittedBackends | null;
  /** This process's Prometheus metrics (served at /metrics). */
  metrics: ServiceMetrics;
}

/** The gate in front of a backend, sized to its sequences (or a remote server's slots). */
export function admissionFor(backend: LlmBackend, config: Config): AdmittedBackends {
  const slots = Math.max(1, backend.info.sequences);
  const { maxQueuedRequests, queueTimeoutMs, modelDeadlineMs } = config.overload;
  return admitRequests(backend, {
    slots,
    maxQueued: maxQueuedRequests ?? 2 * slots,
    queueTimeoutMs,
    deadlineMs: modelDeadlineMs,
  });
}

/**
 * The model: a remote OpenAI-compatible server when LLM_BASE_URL is set, else the embedded engine. Loaded on
 * demand: node-llama-cpp's native bindings make every command that needs no model slow to start.
 */
async function loadBackend(config: Config, overrides: ServiceOverrides): Promise<LlmBackend> {
  const step = overrides.onStep ?? (() => {});
  if (config.remoteModel) {
    const { createOpenAiCompatibleBackend } =
      await import("./engine/openai-compatible/openai-compatible-backend.js");
    const { baseUrl, apiKey, model, timeoutMs } = config.remoteModel;
    step(`model: ${model ?? "the served model"} at ${new URL(baseUrl).origin} (LLM_BASE_URL)`);
    return createOpenAiCompatibleBackend({
      baseUrl,
      apiKey,
      model,
      timeoutMs,
      streamIdleTimeoutMs: timeoutMs,
      contextSize: config.contextSize,
    });
  }
  const { resolveModelPath } = await import("./engine/local/resolve-model-path.js");
  const { createLocalLlmBackend } = await import("./engine/local/local-llm-backend.js");
  step(`model: resolving ${config.modelPath}`);
  const modelFile = await resolveModelPath(config.modelPath, {
    modelsDir: config.modelsDir,
    ...(overrides.onDownloadProgress && { onProgress: overrides.onDownloadProgress }),
  });
  step(`model: loading ${modelFile}`);
  return createLocalLlmBackend({
    modelFile,
    threads: config.threads,
    contextSize: config.contextSize,
    sequences: overrides.sequences ?? config.sequences,
    maxAdapters: config.maxAdapters,
    ...(config.labelLaneTokens !== undefined && { labelLaneTokens: config.labelLaneTokens }),
    ...(overrides.now && { now: overrides.now }),
  });
}

/**
 * The composition root: opens the database (DATABASE_URL, or DATA_DIR's SQLite file), loads the prompt files and (unless told not to) the model, and
 * wires every feature over them through `composeServices`, which `createTestServices` shares.
 */
export async function createServices(config: Config, overrides: ServiceOverrides = {}): Promise<Services> {
  const now = overrides.now ?? Date.now;
  // Cheap checks first, so configuration mistakes fail before the model loads.
  const definitions = overrides.syncPromptFiles === false ? [] : await readPromptDirectory(config.promptsDir);
  validateRolloutCron(config.rolloutCron);
  if (config.analysisCron !== "") validateAnalysisCron(config.analysisCron);
  const database = await openDatabase(config, {
    minFreeBytes: config.storageMinFreeBytes,
    mustExist: overrides.createDatabase === false,
    ...(overrides.now && { now: overrides.now }),
  });
  let loaded: LlmBackend | null = null;
  const metrics = createServiceMetrics();
  // Replicas on one PostgreSQL database share their budgets; SQLite is one process.
  const rateLimits = database.postgresPool
    ? postgresRateLimits(database.postgresPool, {
        onFallback: (limit) => metrics.rateLimitFallbacks.inc({ limit }),
      })
    : memoryRateLimits();
  try {
    const stores = {
      prompts: createSqlPromptStore(database.db),
      interactions: instrumentInteractionStore(
        createSqlInteractionStore(database.db, database.monitor, database.dialect),
        metrics,
      ),
      rollouts: instrumentRolloutStore(createSqlRolloutStore(database.db), metrics),
      analysisRuns: createSqlAnalysisRunStore(database.db),
      evidence: createAnalysisEvidenceQueries(database.db),
      reports: createReportFileStore(path.join(config.dataDir, reportsFolderName)),
      regressionSets: createSqlRegressionSetStore(database.db),
      memory: createSqlMemoryStore(database.db, {
        ...(database.sqlite && { afterErase: () => database.sqlite?.pragma("wal_checkpoint(TRUNCATE)") }),
      }),
    };
    if (overrides.syncPromptFiles !== false) {
      const synced = await syncPromptFiles(stores.prompts, definitions, now());
      overrides.onStep?.(
        `prompts: ${synced.created.length} new, ${synced.unchanged.length} unchanged versions`,
      );
    }
    if (!overrides.backend && overrides.loadModel !== false) loaded = await loadBackend(config, overrides);
    const backend = overrides.backend ?? loaded;
    const engine = backend && monitorEngine(instrumentBackend(backend, metrics), now);
    // Replicas on one PostgreSQL database must hash a session alike: their salt lives in the database.
    const salt =
      database.dialect === "postgres"
        ? await loadOrCreateSharedSalt(database.db, config.dataDir, now())
        : loadOrCreateSalt(config.dataDir);
    // Monitor inside, gate outside: a request refused or timed out for overload is not an engine failure.
    const admission = engine && admissionFor(engine.backend, config);
    if (admission) metrics.watchEngine(() => admission.stats());
    const composed = composeServices({
      config,
      stores,
      backend: admission?.interactive ?? null,
      replayBackend: admission?.background ?? null,
      hashIdentity: createIdentityHasher(salt),
      rateLimits,
      feedbackTokens: createFeedbackTokens(feedbackTokenKey(salt)),
      now,
      ...(overrides.newExperimentId && { newExperimentId: overrides.newExperimentId }),
      ...(overrides.analysisHooks && { analysisHooks: overrides.analysisHooks }),
      ...(overrides.log && { log: overrides.log }),
    });
    return {
      ...composed,
      // Callers get the backend they gave or that was loaded; the features use the watched one.
      backend,
      analysis: instrumentAnalysis(composed.analysis, metrics),
      engine,
      admission,
      metrics,
      fleet: createFleetJobs({ leases: createSqlJobLeaseStore(database.db), now }),
      sessionRevocations: createSqlSessionRevocationStore(database.db),
      database,
      async close() {
        await composed.close();
        rateLimits.close();
        await loaded?.dispose();
        await database.close();
      },
    };
  } catch (error) {
    rateLimits.close();
    await loaded?.dispose().catch(() => {});
    await database.close();
    throw error;
  }
}
