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
import { createActiveLabelRouter, createVersionCache } from "./prompts/prompt-router.js";
import { createSqlitePromptStore } from "./prompts/sqlite-prompt-store.js";
import { syncPromptFiles } from "./prompts/sync-prompt-files.js";
import { createServer } from "./server/create-server.js";
import { registerDashboardRoutes } from "./server/routes/dashboard-routes.js";
import { registerExportRoutes } from "./server/routes/export-routes.js";
import { registerFeedbackRoutes } from "./server/routes/feedback-routes.js";
import { registerStatusRoutes } from "./server/routes/status-routes.js";
import { registerTaskRoutes } from "./server/routes/task-routes.js";
import {
  databaseFileName,
  openSqliteDatabase,
  type OpenedDatabase,
} from "./storage/sqlite/open-sqlite-database.js";
import { createDashboardService } from "./services/dashboard-service.js";
import { createSqliteInteractionStore } from "./storage/sqlite/sqlite-interaction-store.js";
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
}

export interface App {
  config: Config;
  server: FastifyInstance;
  backend: LlmBackend;
  database: OpenedDatabase;
  close(): Promise<void>;
}

/** The composition root: builds every real dependency from configuration and wires the HTTP server. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const now = options.now ?? Date.now;
  const step = options.onStep ?? (() => {});

  // Cheap checks first, so configuration mistakes fail before the model loads.
  const definitions = await readPromptFiles(config.promptsDir);
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
    const router = createActiveLabelRouter(prompts);
    const versionById = createVersionCache(prompts);

    const activePrefixes = [];
    for (const label of (await prompts.listLabels()).filter((l) => l.label === "active")) {
      const { definition } = await versionById(label.versionId);
      if (definition.kind === "classifier") activePrefixes.push(classificationPrefix(definition));
    }
    step("model: warming up");
    await backend.warmUp(activePrefixes);

    const tasks = createTaskService({
      backend,
      router,
      interactions,
      hashIdentity,
      maxReplyTokens: config.maxReplyTokens,
      now,
    });
    const feedback = createFeedbackService({ interactions, versionById, hashIdentity, now });
    const startedAt = now();
    const model = backend.info;
    const server = await createServer(
      {
        adminToken: config.adminToken,
        maxInputChars: config.maxInputChars,
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
          (app) => registerStatusRoutes(app, { model, prompts, startedAt, now }),
        ],
        admin: [
          (app) => registerExportRoutes(app, { interactions }),
          (app) =>
            registerDashboardRoutes(app, {
              dashboard: createDashboardService({ interactions, prompts, now }),
            }),
        ],
      },
    );
    const ownsBackend = !options.backend;
    const finalBackend = backend;
    return {
      config,
      server,
      backend: finalBackend,
      database,
      async close() {
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
