import { isAppError } from "../errors.js";
import type { GenerateStreamPart, LlmBackend } from "./llm-backend.js";

/** What /api/health says about the model. */
export interface EngineHealth {
  /** False while the last model call failed on the engine's side (not the client's, not back-pressure). */
  ok: boolean;
  lastError: { code: string; message: string; at: string } | null;
}

export interface EngineMonitor {
  /** The same backend; every call it makes is watched. */
  backend: LlmBackend;
  health(): EngineHealth;
}

/** Client mistakes and deliberate refusals are answers, not engine failures. */
function isEngineFailure(error: unknown): boolean {
  if (!isAppError(error)) return true;
  return error.status >= 500 && error.code !== "ENGINE_BUSY";
}

/**
 * Wraps a backend so health can tell whether the engine works: the latest call decides (a success after a failure
 * is a recovery), and the latest failure is kept for the operator.
 */
export function monitorEngine(backend: LlmBackend, now: () => number = Date.now): EngineMonitor {
  let ok = true;
  let lastError: EngineHealth["lastError"] = null;
  const fail = (error: unknown) => {
    if (!isEngineFailure(error)) return;
    ok = false;
    lastError = {
      code: isAppError(error) ? error.code : "INTERNAL",
      message: (error as Error).message,
      at: new Date(now()).toISOString(),
    };
  };
  const watched: LlmBackend = {
    get info() {
      return backend.info;
    },
    async classify(request) {
      try {
        const result = await backend.classify(request);
        ok = true;
        return result;
      } catch (error) {
        fail(error);
        throw error;
      }
    },
    async *generate(request): AsyncIterable<GenerateStreamPart> {
      try {
        for await (const part of backend.generate(request)) {
          if (part.type === "finish") ok = true;
          yield part;
        }
      } catch (error) {
        fail(error);
        throw error;
      }
    },
    warmUp: (prefixes) => backend.warmUp(prefixes),
    countTokens: (text) => backend.countTokens(text),
    dispose: () => backend.dispose(),
  };
  return { backend: watched, health: () => ({ ok, lastError }) };
}
