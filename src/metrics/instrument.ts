import type { AnalysisService } from "../analysis/job/analysis-service.js";
import type { LlmBackend } from "../engine/llm-backend.js";
import type { InteractionStore } from "../feedback/store/interaction-store.js";
import type { RolloutStore } from "../rollout/store/rollout-store.js";
import type { ServiceMetrics } from "./service-metrics.js";

/** The same object with some methods replaced; everything else is the original's. */
function override<T extends object>(target: T, replaced: Partial<T>): T {
  return new Proxy(target, {
    get(object, property) {
      if (Object.prototype.hasOwnProperty.call(replaced, property)) return replaced[property as keyof T];
      // Read on the original (not the proxy), so getters and private fields work.
      const value: unknown = Reflect.get(object, property);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    },
  });
}

/** Counts recorded answers (task, version, arm, status, model time) and stored feedback events (type). */
export function instrumentInteractionStore(
  store: InteractionStore,
  metrics: ServiceMetrics,
): InteractionStore {
  return override(store, {
    async record(interaction) {
      await store.record(interaction);
      const labels = {
        task: interaction.task,
        version: interaction.promptVersionId,
        arm: interaction.arm ?? "none",
      };
      metrics.interactions.inc({ ...labels, status: interaction.status });
      if (interaction.latencyMs !== null)
        metrics.interactionLatency.observe(labels, interaction.latencyMs / 1000);
    },
    async appendFeedback(event) {
      const id = await store.appendFeedback(event);
      metrics.feedbackEvents.inc({ type: event.type });
      return id;
    },
    async appendFeedbackOnce(event, rules) {
      const outcome = await store.appendFeedbackOnce(event, rules);
      if (outcome.outcome === "stored") metrics.feedbackEvents.inc({ type: event.type });
      return outcome;
    },
  });
}

/** Counts rollout decisions by action and reason code. */
export function instrumentRolloutStore(store: RolloutStore, metrics: ServiceMetrics): RolloutStore {
  return override(store, {
    async recordDecision(input) {
      const recorded = await store.recordDecision(input);
      metrics.rolloutDecisions.inc({ action: input.decision.action, reason: input.decision.reasonCode });
      return recorded;
    },
  });
}

/** Counts analysis runs by status, with their durations. */
export function instrumentAnalysis(analysis: AnalysisService, metrics: ServiceMetrics): AnalysisService {
  return override(analysis, {
    async run(request) {
      const stop = metrics.analysisDuration.startTimer();
      try {
        const outcome = await analysis.run(request);
        metrics.analysisRuns.inc({ status: outcome.status });
        return outcome;
      } catch (error) {
        metrics.analysisRuns.inc({ status: "failed" });
        throw error;
      } finally {
        stop();
      }
    },
  });
}

/** Counts prompt and generated tokens of every model call. */
export function instrumentBackend(backend: LlmBackend, metrics: ServiceMetrics): LlmBackend {
  return override(backend, {
    async classify(request) {
      const result = await backend.classify(request);
      metrics.promptTokens.inc({ kind: "classify" }, result.promptTokens);
      return result;
    },
    async *generate(request) {
      for await (const part of backend.generate(request)) {
        if (part.type === "finish") {
          metrics.promptTokens.inc({ kind: "generate" }, part.promptTokens);
          metrics.generatedTokens.inc(part.completionTokens);
        }
        yield part;
      }
    },
  });
}
