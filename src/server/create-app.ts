import path from "node:path";
import type { FastifyInstance } from "fastify";
import { registerAnalysisRoutes } from "../analysis/job/analysis-routes.js";
import { startAnalysisSchedule } from "../analysis/job/analysis-schedule.js";
import { packageRoot, type Config } from "../config.js";
import { registerDashboardRoutes } from "../dashboard/dashboard-routes.js";
import type { LlmBackend } from "../engine/llm-backend.js";
import { registerExportRoutes } from "../feedback/export-routes.js";
import { registerFeedbackRoutes } from "../feedback/feedback-routes.js";
import { registerSessionErasureRoutes } from "../feedback/session-erasure-routes.js";
import { registerMemoryAdminRoutes, registerMemoryRoutes } from "../memory/memory-routes.js";
import { registerPlaygroundRoutes } from "../playground/playground-routes.js";
import { registerPromptAdminRoutes } from "../prompts/prompt-admin-routes.js";
import { registerRolloutRoutes } from "../rollout/rollout-routes.js";
import { startRetentionSchedule } from "../feedback/store/retention-schedule.js";
import { startRolloutSchedule } from "../rollout/service/rollout-schedule.js";
import { createServices, type ServiceOverrides, type Services } from "../services.js";
import { classificationPrefix } from "../tasks/classification-prompt.js";
import { registerTaskRoutes } from "../tasks/task-routes.js";
import { registerOpenAiRoutes } from "../openai-api/openai-routes.js";
import { registerMetricsRoutes } from "../metrics/metrics-routes.js";
import type { TaskService } from "../tasks/task-service.js";
import { registerTurnRoutes } from "../tasks/turn/turn-routes.js";
import { registerTriageRoutes } from "../triage/triage-routes.js";
import { registerRegressionSetRoutes } from "../triage/regression-sets/regression-set-routes.js";
import { validateTurnTasks } from "../tasks/turn/validate-turn-tasks.js";
import { createServer } from "./create-server.js";
import { drainServer, type DrainOutcome } from "./graceful-shutdown.js";
import { createHostAllowList } from "./host-allow-list.js";
import { requestLoggerOptions } from "./request-log.js";
import { registerStatusRoutes } from "./status-routes.js";
import { operatorTokensOf } from "../operators/operator-tokens.js";

export interface AppOptions extends Omit<ServiceOverrides, "loadModel" | "log"> {
  /** `false` silences request logs; unset logs at LOG_LEVEL (see requestLoggerOptions). */
  logger?: false;
  /** Where log lines go instead of stdout (tests read them). */
  logDestination?: NodeJS.WritableStream;
}

/** The HTTP service: every feature's service with a model, its routes on one server, and the schedules. */
export interface App extends Services {
  backend: LlmBackend;
  tasks: TaskService;
  server: FastifyInstance;
  /**
   * Graceful stop (SIGTERM): stops accepting, lets in-flight requests and streams finish for SHUTDOWN_TIMEOUT_MS
   * (or `timeoutMs`), then closes what is left, and frees the model and database. `close()` is the same.
   */
  shutdown(options?: { timeoutMs?: number }): Promise<DrainOutcome>;
}

/** The classifier prefixes of the active versions, which the first requests will use. */
async function activePrefixes(services: Services) {
  const prefixes = [];
  for (const label of (await services.stores.prompts.listLabels()).filter((l) => l.label === "active")) {
    const version = await services.stores.prompts.getVersion(label.versionId);
    if (version?.definition.kind === "classifier") prefixes.push(classificationPrefix(version.definition));
  }
  return prefixes;
}

/** `serve`: createServices with the model, warmed up, behind the HTTP server, with the analysis and rollout schedules. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const { logger, logDestination, ...overrides } = options;
  const services = await createServices(config, overrides);
  const { backend, tasks, rollout, analysis, stores } = services;
  try {
    const engine = services.engine;
    if (!backend || !tasks || !engine) throw new Error("createServices loads a model unless told not to");
    await validateTurnTasks(services.taskDirectory, config.turn);
    overrides.onStep?.("model: warming up");
    await backend.warmUp(await activePrefixes(services));
    const server = await createServer(
      {
        operators: operatorTokensOf(config),
        sessionTtlMs: config.sessionTtlMs,
        sessionRevocations: services.sessionRevocations,
        now: services.now,
        maxInputChars: config.maxInputChars,
        rateLimitPerMinute: config.rateLimitPerMinute,
        rateLimits: services.rateLimits,
        trustProxy: config.trustProxy,
        allowedHosts: createHostAllowList(config.allowedHosts, config.host),
        webRoot: path.join(packageRoot, "web", "dist"),
        logger:
          logger ??
          requestLoggerOptions({
            level: config.logLevel,
            logClientAddress: config.logClientAddress,
            ...(logDestination && { destination: logDestination }),
          }),
        version: "0.1.0",
        requestTimeoutMs: config.overload.requestTimeoutMs,
        // A reply that is not streamed sends nothing until it is done: the socket must outlast the model's deadline.
        connectionTimeoutMs: config.overload.modelDeadlineMs + 10_000,
      },
      {
        public: [
          (app, schemas) =>
            registerTaskRoutes(app, {
              tasks,
              directory: services.taskDirectory,
              schemas,
              sentimentTask: "sentiment",
              chatTask: "chat",
            }),
          (app, schemas) =>
            registerTurnRoutes(app, {
              tasks,
              versionById: (id) => services.taskDirectory.versionById(id),
              schemas,
              settings: config.turn,
              sentimentTask: "sentiment",
              chatTask: "chat",
            }),
          (app) => registerMetricsRoutes(app, { metrics: services.metrics, token: config.metricsToken }),
          (app) =>
            registerOpenAiRoutes(app, {
              tasks,
              prompts: stores.prompts,
              apiKeys: config.apiKeys,
              maxInputChars: config.maxInputChars,
              now: services.now,
            }),
          (app, schemas) => registerFeedbackRoutes(app, { feedback: services.feedback, schemas }),
          (app) => registerMemoryRoutes(app, { memory: services.memory }),
          (app) =>
            registerStatusRoutes(app, {
              backend,
              storage: services.database.monitor,
              engine,
              admission: services.admission,
              startedAt: services.now(),
              now: services.now,
              limits: { maxInputChars: config.maxInputChars, maxReplyTokens: config.maxReplyTokens },
            }),
        ],
        admin: [
          (app) => registerExportRoutes(app, { interactions: stores.interactions }),
          (app) =>
            registerSessionErasureRoutes(app, {
              interactions: stores.interactions,
              now: services.now,
              eraseElsewhere: (sessionHash) => services.memory.purge(sessionHash),
            }),
          (app) => registerMemoryAdminRoutes(app, { memory: services.memory }),
          (app) => registerDashboardRoutes(app, { dashboard: services.dashboard }),
          (app) => registerPromptAdminRoutes(app, { registry: services.registry, rollout }),
          (app) => registerRolloutRoutes(app, { rollout }),
          (app) =>
            registerPlaygroundRoutes(app, {
              tasks,
              prompts: stores.prompts,
              maxInputChars: config.maxInputChars,
              maxReplyTokens: config.maxReplyTokens,
              defaultMaxTokens: Math.min(128, config.maxReplyTokens),
            }),
          (app) => registerAnalysisRoutes(app, { analysis }),
          (app) => registerTriageRoutes(app, { triage: services.triage, reports: stores.reports }),
          (app) => registerRegressionSetRoutes(app, { regressionSets: services.regressionSets }),
        ],
      },
    );
    const log = (level: "info" | "warn" | "error", message: string) => server.log[level](message);
    services.setLog(log);
    const analysisSchedule =
      config.analysisCron === ""
        ? null
        : startAnalysisSchedule(
            config.analysisCron,
            async () => {
              const tick = await services.fleet.run("analysis", config.analysisCron, () =>
                analysis.run({ trigger: "schedule" }),
              );
              const at = new Date(tick.tickAt).toISOString();
              if (!tick.ran) return `tick ${at} taken by another replica`;
              const outcome = tick.result;
              return `tick ${at} ran here: ${outcome.status} (${outcome.reason}), report ${outcome.reportId}`;
            },
            log,
          );
    const retentionSchedule = startRetentionSchedule({
      db: services.database.db,
      retentionDays: config.retentionDays,
      fleet: services.fleet,
      now: services.now,
      log,
    });
    const rolloutSchedule = startRolloutSchedule({
      cron: config.rolloutCron,
      evaluate: async () => {
        const tick = await services.fleet.run("rollout", config.rolloutCron, () => rollout.evaluateNow());
        return tick.ran ? tick.result : null;
      },
      onReport: (report) => server.log.info({ rollout: report }, "rollout evaluated"),
      onError: (error) => server.log.error({ err: error }, "rollout evaluation failed"),
    });
    let stopped: Promise<DrainOutcome> | null = null;
    const shutdown = (options: { timeoutMs?: number } = {}) => {
      stopped ??= (async () => {
        rolloutSchedule.stop();
        retentionSchedule.stop();
        analysisSchedule?.stop();
        await analysis.close();
        const admission = services.admission;
        const outcome = await drainServer(server, {
          timeoutMs: options.timeoutMs ?? config.overload.shutdownTimeoutMs,
          ...(admission && {
            refuseWaiting: (reason: string) => admission.refuseWaiting(reason),
            runningModelCalls: () => {
              const { running } = admission.stats();
              return running.classify + running.generate + running.background;
            },
          }),
          log,
        });
        await services.close();
        return outcome;
      })();
      return stopped;
    };
    return {
      ...services,
      backend,
      tasks,
      server,
      shutdown,
      close: async () => {
        await shutdown();
      },
    };
  } catch (error) {
    await services.close();
    throw error;
  }
}
