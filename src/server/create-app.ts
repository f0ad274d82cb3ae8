import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import type { Config } from "./config.js";
import type { LlmBackend } from "./engine/llm-backend.js";
import { createLocalLlmBackend } from "./engine/local/local-llm-backend.js";
import { resolveModelPath, type DownloadProgress } from "./engine/local/resolve-model-path.js";
import { createFeedbackService } from "./feedback/feedback-service.js";
import { createIdentityHasher, loadOrCreateSalt } from "./feedback/identity-hasher.js";
import { readPromptFiles } from "./prompts/prompt-file.js";
import { createVersionCache } from "./prompts/prompt-router.js";
import { createRegistryService } from "./prompts/registry-service.js";
import { createSqlitePromptStore } from "./prompts/store/sqlite-prompt-store.js";
import { syncPromptFiles } from "./prompts/sync-prompt-files.js";
import { createServer } from "./server/create-server.js";
import { registerAnalysisRoutes } from "./analysis/job/analysis-routes.js";
import { registerDashboardRoutes } from "./dashboard/dashboard-routes.js";
import { registerExportRoutes } from "./feedback/export-routes.js";
import { registerFeedbackRoutes } from "./feedback/feedback-routes.js";
import { registerPromptAdminRoutes } from "./prompts/prompt-admin-routes.js";
import { registerRolloutRoutes } from "./rollout/rollout-routes.js";
import { registerStatusRoutes } from "./server/status-routes.js";
import { registerTaskRoutes } from "./tasks/task-routes.js";
import {
  databaseFileName,
  openSqliteDatabase,
  type OpenedDatabase,
} from "./storage/sqlite/open-sqlite-database.js";
import { createFewShotMemory } from "./analysis/job/few-shot-memory.js";
import { startAnalysisSchedule, validateAnalysisCron } from "./analysis/job/analysis-schedule.js";
import {
  combineAnalysisHooks,
  type AnalysisHooks,
  type AnalysisService,
} from "./analysis/job/analysis-service.js";
import { createSqliteAnalysisService } from "./analysis/job/sqlite-analysis-service.js";
import { createDashboardService } from "./dashboard/dashboard-service.js";
import { createRolloutRouter } from "./rollout/service/rollout-router.js";
import { startRolloutSchedule, validateRolloutCron } from "./rollout/service/rollout-schedule.js";
import { createRolloutService, type RolloutService } from "./rollout/service/rollout-service.js";
import { createSqliteRolloutStore } from "./rollout/store/sqlite-rollout-store.js";
import { createSqliteInteractionStore } from "./feedback/store/sqlite-interaction-store.js";
import { classificationPrefix } from "./tasks/classification-prompt.js";
import { createTaskService } from "./tasks/task-service.js";

export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface AppOptions {
  /** Use this backend instead of loading MODEL_PATH (tests pass a fake or a shared local backend). */
  backend?: LlmBackend;
  /** Fastify/pino logger setting; `false` silences request logs. */
  logger?: boolean | { level: string };
  onDownloadProgress?: (progress: DownloadProgress) => void;
  /** Called with each start-up step, for the CLI's progress output. */
  onStep?: (message: string) => void;
  now?: () => number;
  /** More reactions to analysis runs, called after the rollout's (canary start, evaluation). */
  analysisHooks?: AnalysisHooks;
}

export interface App {
  config: Config;
  server: FastifyInstance;
  backend: LlmBackend;
  database: OpenedDatabase;
  /** Rollouts: startCanary (the analysis job's auto-start), evaluateNow (after each analysis run), overrides. */
  rollout: RolloutService;
  /** The analysis job (also reachable as POST /api/admin/analyze and on the ANALYSIS_CRON schedule). */
  analysis: AnalysisService;
  close(): Promise<void>;
}

/** The composition root: builds every real dependency from configuration and wires the HTTP server. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const now = options.now ?? Date.now;
  const step = options.onStep ?? (() => {});

  // Cheap checks first, so configuration mistakes fail before the model loads.
  const definitions = await readPromptFiles(config.promptsDir);
  validateRolloutCron(config.rolloutCron);
  if (config.analysisCron !== "") validateAnalysisCron(config.analysisCron);
  const database = await openSqliteDatabase(path.join(config.dataDir, databaseFileName));
  let backend: LlmBackend | undefined = options.backend;
  try {
    const hashIdentity = createIdentityHasher(loadOrCreateSalt(config.dataDir));
    const prompts = createSqlitePromptStore(database.db);
    const synced = await syncPromptFiles(prompts, definitions, now());
    step(`prompts: ${synced.created.length} new, ${synced.unchanged.length} unchanged versions`);
    const interactions = createSqliteInteractionStore(database.db);

    if (!backend) {
      step(`model: resolving ${config.modelPath}`);
      const modelFile = await resolveModelPath(config.modelPath, {
        modelsDir: config.modelsDir,
        ...(options.onDownloadProgress && { onProgress: options.onDownloadProgress }),
      });
      step(`model: loading ${modelFile}`);
      backend = await createLocalLlmBackend({
        modelFile,
        threads: config.threads,
        contextSize: config.contextSize,
        sequences: config.sequences,
        now,
      });
    }
    const rollouts = createSqliteRolloutStore(database.db);
    const rollout = createRolloutService({
      prompts,
      rollouts,
      interactions,
      policy: config.rolloutPolicy,
      autoStartCanary: config.autoStartCanary,
      now,
    });
    // Serves the active version, or splits a task's traffic while its experiment runs.
    const router = createRolloutRouter({ prompts, rollouts });
    const versionById = createVersionCache(prompts);

    const activePrefixes = [];
    for (const label of (await prompts.listLabels()).filter((l) => l.label === "active")) {
      const { definition } = await versionById(label.versionId);
      if (definition.kind === "classifier") activePrefixes.push(classificationPrefix(definition));
    }
    step("model: warming up");
    await backend.warmUp(activePrefixes);

    // Few-shot memory: one BM25 index per version with `retrieval`, shared by inference and the analysis replay.
    const fewShotMemory = createFewShotMemory();
    const tasks = createTaskService({
      backend,
      router,
      interactions,
      hashIdentity,
      maxReplyTokens: config.maxReplyTokens,
      retrieveExamples: (definition, input) => fewShotMemory.retrieve(definition, input),
      now,
    });
    // Goes to the server's logger once the server exists (runs can't start before that).
    let analysisLog: (level: "info" | "warn" | "error", message: string) => void = () => {};
    // A draft that passed the replay gate asks for its canary (AUTO_START_CANARY may decline); every completed
    // run is followed by a rollout evaluation, so a running experiment sees the fresh feedback at once.
    const rolloutHooks: AnalysisHooks = {
      async onCandidateProposed(versionId, report) {
        const started = await rollout.startCanary(versionId, {
          actor: "analysis",
          reason: `analysis report ${report.id}: ${versionId} passed the replay gate`,
        });
        analysisLog(
          "info",
          started.started
            ? `canary of ${versionId} started (experiment ${started.experiment.id})`
            : started.reason,
        );
      },
      async afterRun() {
        await rollout.evaluateNow({ actor: "analysis" });
      },
    };
    const analysis = createSqliteAnalysisService({
      db: database.db,
      config,
      interactions,
      prompts,
      backend,
      memory: fewShotMemory,
      hooks: combineAnalysisHooks(rolloutHooks, options.analysisHooks),
      now,
      log: (level, message) => analysisLog(level, message),
    });
    const feedback = createFeedbackService({ interactions, versionById, hashIdentity, now });
    const startedAt = now();
    const model = backend.info;
    const server = await createServer(
      {
        adminToken: config.adminToken,
        maxInputChars: config.maxInputChars,
        rateLimitPerMinute: config.rateLimitPerMinute,
        trustProxy: config.trustProxy,
        webRoot: path.join(packageRoot, "web", "dist"),
        logger: options.logger ?? {
          level: config.logLevel,
          redact: ["req.headers.authorization", "req.headers.cookie"],
        },
        version: "0.1.0",
      },
      {
        public: [
          (app, schemas) =>
            registerTaskRoutes(app, { tasks, schemas, sentimentTask: "sentiment", chatTask: "chat" }),
          (app, schemas) => registerFeedbackRoutes(app, { feedback, schemas }),
          (app) =>
            registerStatusRoutes(app, {
              model,
              prompts,
              startedAt,
              now,
              limits: { maxInputChars: config.maxInputChars, maxReplyTokens: config.maxReplyTokens },
            }),
        ],
        admin: [
          (app) => registerExportRoutes(app, { interactions }),
          (app) =>
            registerDashboardRoutes(app, {
              dashboard: createDashboardService({
                interactions,
                prompts,
                now,
                experiments: () => rollout.listExperiments(),
              }),
            }),
          (app) =>
            registerPromptAdminRoutes(app, { registry: createRegistryService({ prompts, now }), rollout }),
          (app) => registerRolloutRoutes(app, { rollout }),
          (app) => registerAnalysisRoutes(app, { analysis }),
        ],
      },
    );
    analysisLog = (level, message) => server.log[level](message);
    const schedule =
      config.analysisCron === ""
        ? null
        : startAnalysisSchedule(
            config.analysisCron,
            async () => {
              const outcome = await analysis.run({ trigger: "schedule" });
              return `${outcome.status} (${outcome.reason}), report ${outcome.reportId}`;
            },
            analysisLog,
          );
    const rolloutSchedule = startRolloutSchedule({
      cron: config.rolloutCron,
      evaluate: () => rollout.evaluateNow(),
      onReport: (report) => server.log.info({ rollout: report }, "rollout evaluated"),
      onError: (error) => server.log.error({ err: error }, "rollout evaluation failed"),
    });
    const ownsBackend = !options.backend;
    const finalBackend = backend;
    return {
      config,
      server,
      backend: finalBackend,
      database,
      analysis,
      rollout,
      async close() {
        rolloutSchedule.stop();
        schedule?.stop();
        await analysis.close();
        await server.close();
        if (ownsBackend) await finalBackend.dispose();
        await database.close();
      },
    };
  } catch (error) {
    if (backend && !options.backend) await backend.dispose().catch(() => {});
    await database.close();
    throw error;
  }
}
