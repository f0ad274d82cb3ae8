import type { FastifyInstance } from "fastify";
import type { AdmissionStats } from "../engine/admission/admission-gate.js";
import type { EngineHealth } from "../engine/engine-monitor.js";
import type { LlmBackend } from "../engine/llm-backend.js";
import { remoteStatusOf } from "../engine/openai-compatible/openai-compatible-backend.js";
import type { StorageHealth } from "../storage/storage-monitor.js";

export async function registerStatusRoutes(
  app: FastifyInstance,
  deps: {
    /** Read at every request: a remote backend learns about its server after start-up. */
    backend: LlmBackend;
    /** A write probe and free space: whether an interaction could be stored right now. */
    storage: { health(): Promise<StorageHealth> };
    engine: { health(): EngineHealth };
    /** The queue in front of the model: its depth and the measured hold times behind its refusals. */
    admission: { stats(): AdmissionStats } | null;
    startedAt: number;
    now: () => number;
    limits: { maxInputChars: number; maxReplyTokens: number };
  },
): Promise<void> {
  app.get(
    "/api/health",
    {
      schema: {
        tags: ["status"],
        summary: "Liveness, model, engine, storage and uptime",
        description:
          "`status` is `degraded` (HTTP 503, so a load balancer routes around the replica) when the storage can't " +
          "take a write right now, the engine's last call failed, or a remote model server is unreachable; " +
          "`storage.lastError`, `storage.problem` and `engine.lastError` say why. `engine.admission` is the queue in " +
          "front of the model: sequences, running and queued calls per class, the measured time a call holds its " +
          "sequence (`serviceTime`, a moving estimate; `ms` null until measured), and `expectedWaitMs`: how long one " +
          "more request would wait now. Above `queueTimeoutMs` it is refused at once with 503 `ENGINE_BUSY`.",
      },
    },
    async (_request, reply) => {
      const model = deps.backend.info;
      // A remote model server that is unreachable or failing leaves the service up (feedback still works) but
      // degraded: model-backed routes answer 503 until it is back.
      const remote = remoteStatusOf(deps.backend);
      const remoteHealthy = !remote || (remote.dialect !== "unknown" && remote.circuit === "closed");
      const [storage, engine] = [await deps.storage.health(), deps.engine.health()];
      const degraded = !storage.writable || !engine.ok || !remoteHealthy;
      if (degraded) void reply.status(503);
      return {
        status: degraded ? "degraded" : "ok",
        model: {
          // The model's name, never a path: health is public, and paths tell an attacker about the host.
          backend: model.backend,
          name: model.name,
          ...(model.local && { sizeBytes: model.local.sizeBytes }),
          loadedAt: model.loadedAt > 0 ? new Date(model.loadedAt).toISOString() : null,
        },
        engine: { ...engine, ...remote, ...(deps.admission && { admission: deps.admission.stats() }) },
        storage: publicStorageHealth(storage),
        uptimeS: Math.round((deps.now() - deps.startedAt) / 1000),
        limits: deps.limits,
      };
    },
  );
}

/** Storage health without the database's location (a file path or a server address): health is public. */
function publicStorageHealth<T extends { location?: string }>(storage: T): Omit<T, "location"> {
  const { location: _location, ...rest } = storage;
  return rest;
}
