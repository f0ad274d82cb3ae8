import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { AdmissionStats } from "../engine/admission/admission-gate.js";
import { admissionClasses } from "../engine/admission/admission-gate.js";

/** Latency buckets in seconds: a classification takes ~0.1–2 s, a reply up to a few minutes. */
const latencyBuckets = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120];

/**
 * Every Prometheus metric of one process (docs/operations.md#metrics lists them), on its own registry. Labels are
 * bounded sets (routes, tasks, versions, arms, types, codes), never ids or user data.
 */
export function createServiceMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "promptloop_process_" });
  const metric = { registers: [registry] };
  const engineState: { stats: (() => AdmissionStats) | null } = { stats: null };
  return {
    registry,
    httpRequests: new Counter({
      name: "promptloop_http_requests_total",
      help: "HTTP requests answered, by route pattern, method and status code",
      labelNames: ["route", "method", "status"] as const,
      ...metric,
    }),
    httpDuration: new Histogram({
      name: "promptloop_http_request_duration_seconds",
      help: "Time to answer an HTTP request (a stream: until it ends), by route pattern and method",
      labelNames: ["route", "method"] as const,
      buckets: latencyBuckets,
      ...metric,
    }),
    interactions: new Counter({
      name: "promptloop_interactions_total",
      help: "Model answers recorded, by task, prompt version, experiment arm and status (ok, error, cancelled)",
      labelNames: ["task", "version", "arm", "status"] as const,
      ...metric,
    }),
    interactionLatency: new Histogram({
      name: "promptloop_interaction_duration_seconds",
      help: "Model time of a recorded answer (queue wait included), by task, prompt version and arm",
      labelNames: ["task", "version", "arm"] as const,
      buckets: latencyBuckets,
      ...metric,
    }),
    feedbackEvents: new Counter({
      name: "promptloop_feedback_events_total",
      help: "Feedback events stored, by type",
      labelNames: ["type"] as const,
      ...metric,
    }),
    promptTokens: new Counter({
      name: "promptloop_prompt_tokens_total",
      help: "Prompt tokens of model calls (rate() gives tokens per second), by kind (classify, generate)",
      labelNames: ["kind"] as const,
      ...metric,
    }),
    generatedTokens: new Counter({
      name: "promptloop_generated_tokens_total",
      help: "Reply tokens generated (rate() gives tokens per second)",
      ...metric,
    }),
    analysisRuns: new Counter({
      name: "promptloop_analysis_runs_total",
      help: "Analysis runs, by status (completed, skipped, failed)",
      labelNames: ["status"] as const,
      ...metric,
    }),
    analysisDuration: new Histogram({
      name: "promptloop_analysis_run_duration_seconds",
      help: "Duration of analysis runs",
      buckets: [1, 5, 15, 60, 300, 900, 3600],
      ...metric,
    }),
    rolloutDecisions: new Counter({
      name: "promptloop_rollout_decisions_total",
      help: "Rollout decisions recorded, by action and reason code",
      labelNames: ["action", "reason"] as const,
      ...metric,
    }),
    rateLimitFallbacks: new Counter({
      name: "promptloop_rate_limit_fallbacks_total",
      help: "Requests a shared rate limit counted in this replica's memory (PostgreSQL failed or was too slow), by limit",
      labelNames: ["limit"] as const,
      ...metric,
    }),
    engineRefused: new Counter({
      name: "promptloop_engine_refused_total",
      help: "Model requests refused with 503 ENGINE_BUSY, by why (queue_full, expected_wait, wait_timeout)",
      labelNames: ["why"] as const,
      ...metric,
      collect() {
        const stats = engineState.stats?.();
        if (!stats) return;
        this.reset();
        this.inc({ why: "queue_full" }, stats.refused.queueFull);
        this.inc({ why: "expected_wait" }, stats.refused.expectedWait);
        this.inc({ why: "wait_timeout" }, stats.refused.waitTimeout);
      },
    }),
    engineServiceTime: new Gauge({
      name: "promptloop_engine_service_time_seconds",
      help: "Moving estimate of how long a served model call holds its sequence, by class (absent until measured)",
      labelNames: ["class"] as const,
      ...metric,
      collect() {
        const stats = engineState.stats?.();
        if (!stats) return;
        this.reset();
        for (const cls of admissionClasses) {
          const ms = stats.serviceTime[cls].ms;
          if (ms !== null) this.set({ class: cls }, ms / 1000);
        }
      },
    }),
    engineExpectedWait: new Gauge({
      name: "promptloop_engine_expected_wait_seconds",
      help:
        "Expected wait for a sequence of one more interactive request, by class (classify, generate); " +
        "above QUEUE_TIMEOUT_MS it is refused at once (absent until measured)",
      labelNames: ["class"] as const,
      ...metric,
      collect() {
        const stats = engineState.stats?.();
        if (!stats) return;
        this.reset();
        for (const cls of ["classify", "generate"] as const) {
          const ms = stats.expectedWaitMs[cls];
          if (ms !== null) this.set({ class: cls }, ms / 1000);
        }
      },
    }),
    engineQueued: new Gauge({
      name: "promptloop_engine_queue_depth",
      help: "Model requests waiting for a sequence, by class (classify, generate, background)",
      labelNames: ["class"] as const,
      ...metric,
      collect() {
        const stats = engineState.stats?.();
        if (!stats) return;
        for (const cls of admissionClasses) this.set({ class: cls }, stats.queued[cls]);
      },
    }),
    engineBusy: new Gauge({
      name: "promptloop_engine_busy_sequences",
      help: "Sequences serving a model call, by class (classify, generate, background)",
      labelNames: ["class"] as const,
      ...metric,
      collect() {
        const stats = engineState.stats?.();
        if (!stats) return;
        for (const cls of admissionClasses) this.set({ class: cls }, stats.running[cls]);
      },
    }),
    engineSequences: new Gauge({
      name: "promptloop_engine_sequences",
      help: "Sequences (or remote server slots) the model serves at once",
      ...metric,
      collect() {
        const stats = engineState.stats?.();
        if (stats) this.set(stats.slots);
      },
    }),
    /** Where the engine gauges read the queue from (set once the model is loaded). */
    watchEngine(stats: () => AdmissionStats) {
      engineState.stats = stats;
    },
  };
}

export type ServiceMetrics = ReturnType<typeof createServiceMetrics>;
