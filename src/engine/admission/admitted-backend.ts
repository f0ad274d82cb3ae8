import { AppError } from "../../errors.js";
import type { GenerateStreamPart, LlmBackend } from "../llm-backend.js";
import {
  AdmissionGate,
  type AdmissionClass,
  type AdmissionGateOptions,
  type AdmissionStats,
} from "./admission-gate.js";

export interface AdmissionOptions extends AdmissionGateOptions {
  /** Longest time one interactive model call may take, its wait included, before ENGINE_TIMEOUT. */
  deadlineMs: number;
}

/** Two views of one backend behind one gate, and the gate's state. */
export interface AdmittedBackends {
  /** For requests someone waits on: bounded queue, wait and total deadlines. */
  interactive: LlmBackend;
  /** For the analysis's replays: behind every interactive request, never refused, no deadline. */
  background: LlmBackend;
  stats(): AdmissionStats;
  /** Shutdown: refuse what still waits; what runs finishes. */
  refuseWaiting(reason: string): void;
}

/**
 * Ends a call at the deadline: the returned signal aborts when the caller's does or when time is up. A plain timer
 * (cleared by `done`) rather than AbortSignal.timeout, whose unreferenced timer and composed signals are easy to lose.
 */
function withDeadline(signal: AbortSignal | undefined, deadlineMs: number) {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort();
  }, deadlineMs);
  const follow = () => controller.abort();
  if (signal?.aborted) controller.abort();
  else signal?.addEventListener("abort", follow, { once: true });
  return {
    signal: controller.signal,
    expired: () => expired,
    done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", follow);
    },
  };
}

const timeoutError = (deadlineMs: number, cause?: unknown) =>
  new AppError("ENGINE_TIMEOUT", `The model did not finish within ${deadlineMs} ms (MODEL_DEADLINE_MS)`, {
    ...(cause !== undefined && { cause }),
  });

/**
 * Puts every model call through an AdmissionGate: the interactive view classifies as "classify" and generates as
 * "generate" under a total deadline; the background view waits its turn behind them. Works for any LlmBackend.
 */
export function admitRequests(backend: LlmBackend, options: AdmissionOptions): AdmittedBackends {
  const gate = new AdmissionGate(options);

  function view(classOf: (kind: "classify" | "generate") => AdmissionClass, deadlineMs: number | null) {
    const acquireOptions = (signal: AbortSignal | undefined) => ({
      ...(signal && { signal }),
      ...(deadlineMs !== null && { deadlineMs }),
    });
    const admitted: LlmBackend = {
      get info() {
        return backend.info;
      },
      async classify(request) {
        const limited = deadlineMs === null ? null : withDeadline(request.signal, deadlineMs);
        const signal = limited?.signal ?? request.signal;
        let ticket;
        try {
          ticket = await gate.acquire(classOf("classify"), acquireOptions(signal));
        } catch (error) {
          limited?.done();
          if (limited?.expired()) throw timeoutError(deadlineMs!, error);
          throw error;
        }
        let served = false;
        try {
          const result = await backend.classify({ ...request, ...(signal && { signal }) });
          served = true;
          return result;
        } catch (error) {
          if (limited?.expired()) throw timeoutError(deadlineMs!, error);
          throw error;
        } finally {
          // A call cut by its deadline held the sequence as long as such calls can: that counts.
          served ||= limited?.expired() ?? false;
          limited?.done();
          ticket.release({ served });
        }
      },
      async *generate(request): AsyncIterable<GenerateStreamPart> {
        const limited = deadlineMs === null ? null : withDeadline(request.signal, deadlineMs);
        const signal = limited?.signal ?? request.signal;
        let ticket;
        try {
          ticket = await gate.acquire(classOf("generate"), acquireOptions(signal));
        } catch (error) {
          limited?.done();
          if (limited?.expired()) throw timeoutError(deadlineMs!, error);
          throw error;
        }
        let served = false;
        try {
          for await (const part of backend.generate({ ...request, ...(signal && { signal }) })) {
            if (part.type === "finish" && part.finishReason === "cancelled" && limited?.expired()) {
              throw timeoutError(deadlineMs!);
            }
            if (part.type === "finish") served = part.finishReason !== "cancelled";
            yield part;
          }
        } catch (error) {
          if (limited?.expired() && !(error instanceof AppError && error.code === "ENGINE_TIMEOUT")) {
            throw timeoutError(deadlineMs!, error);
          }
          throw error;
        } finally {
          served ||= limited?.expired() ?? false;
          limited?.done();
          ticket.release({ served });
        }
      },
      warmUp: (prefixes) => backend.warmUp(prefixes),
      countTokens: (text) => backend.countTokens(text),
      dispose: () => backend.dispose(),
    };
    return admitted;
  }

  return {
    interactive: view((kind) => kind, options.deadlineMs),
    background: view(() => "background", null),
    stats: () => gate.stats(),
    refuseWaiting: (reason) => gate.refuseWaiting(reason),
  };
}
