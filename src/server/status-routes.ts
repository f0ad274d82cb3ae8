import type { FastifyInstance } from "fastify";
import type { ModelInfo } from "../engine/llm-backend.js";
import type { PromptStore } from "../prompts/store/prompt-store.js";

export async function registerStatusRoutes(
  app: FastifyInstance,
  deps: {
    model: ModelInfo;
    prompts: PromptStore;
    startedAt: number;
    now: () => number;
    limits: { maxInputChars: number; maxReplyTokens: number };
  },
): Promise<void> {
  app.get(
    "/api/health",
    { schema: { tags: ["status"], summary: "Liveness, model and uptime" } },
    async () => ({
      status: "ok",
      model: {
        // A local model is named by its file, as before there were other backends.
        ...(deps.model.local
          ? { path: deps.model.local.path, sizeBytes: deps.model.local.sizeBytes }
          : { backend: deps.model.backend, name: deps.model.name }),
        loadedAt: new Date(deps.model.loadedAt).toISOString(),
      },
      uptimeS: Math.round((deps.now() - deps.startedAt) / 1000),
      limits: deps.limits,
    }),
  );

  app.get(
    "/api/tasks",
    { schema: { tags: ["status"], summary: "Tasks and their active prompt versions" } },
    async () => {
      const labels = await deps.prompts.listLabels();
      const tasks = [];
      for (const active of labels.filter((l) => l.label === "active")) {
        const version = await deps.prompts.getVersion(active.versionId);
        if (!version) continue;
        tasks.push({
          task: active.task,
          kind: version.definition.kind,
          ...(version.definition.labels && { labels: version.definition.labels }),
          activeVersion: version.id,
        });
      }
      return tasks;
    },
  );
}
