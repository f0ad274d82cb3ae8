import type { AnalysisEvidenceQueries } from "./analysis/job/evidence-queries.js";
import type { AnalysisRunStore } from "./analysis/job/analysis-run-store.js";
import {
  combineAnalysisHooks,
  createAnalysisService,
  type AnalysisHooks,
  type AnalysisService,
} from "./analysis/job/analysis-service.js";
import { createFewShotMemory, type FewShotMemory } from "./analysis/job/few-shot-memory.js";
import type { ReportFileStore } from "./analysis/job/report-file-store.js";
import type { Config } from "./config.js";
import { createDashboardService, type DashboardService } from "./dashboard/dashboard-service.js";
import type { LlmBackend } from "./engine/llm-backend.js";
import { createFeedbackService, type FeedbackService } from "./feedback/feedback-service.js";
import { createFeedbackRateLimiter } from "./feedback/feedback-rate-limiter.js";
import type { FeedbackTokens } from "./feedback/feedback-token.js";
import type { IdentityHasher } from "./feedback/identity-hasher.js";
import type { InteractionStore } from "./feedback/store/interaction-store.js";
import { createTaskDirectory } from "./prompts/task-directory-from-store.js";
import { createVersionCache } from "./prompts/version-cache.js";
import { adapterCheckFor } from "./engine/local/lora-adapter-file.js";
import { createRegistryService, type RegistryService } from "./prompts/registry-service.js";
import type { PromptStore } from "./prompts/store/prompt-store.js";
import type { RateLimits } from "./rate-limits/rate-limits.js";
import { createRolloutRouter } from "./rollout/service/rollout-router.js";
import { createRolloutService, type RolloutService } from "./rollout/service/rollout-service.js";
import type { RolloutStore } from "./rollout/store/rollout-store.js";
import type { TaskDirectory } from "./tasks/task-directory.js";
import { createTaskService, type TaskService } from "./tasks/task-service.js";
import { createMemoryService, type MemoryService } from "./memory/memory-service.js";
import type { MemoryStore } from "./memory/store/memory-store.js";
import { createTriageService, type TriageService } from "./triage/triage-service.js";
import { analysisActor } from "./rollout/core/reason-codes.js";
import {
  createRegressionSetService,
  type RegressionSetService,
} from "./triage/regression-sets/regression-set-service.js";
import type { RegressionSetStore } from "./triage/regression-sets/regression-set-store.js";

/** Where the services report what they did on their own (analysis outcomes, canary starts, hook failures). */
export type ServiceLog = (level: "info" | "warn" | "error", message: string) => void;

/** The stores every feature reads and writes: SQLite in createServices, in memory in createTestServices. */
export interface Stores {
  prompts: PromptStore;
  interactions: InteractionStore;
  rollouts: RolloutStore;
  analysisRuns: AnalysisRunStore;
  evidence: AnalysisEvidenceQueries;
  reports: ReportFileStore;
  memory: MemoryStore;
  /** Named regression sets (triage). */
  regressionSets: RegressionSetStore;
}

/** The features, wired. */
export interface ComposedServices {
  config: Config;
  now: () => number;
  stores: Stores;
  /** The served model; null when the caller asked for none (registry commands, `analyze --no-replay`). */
  backend: LlmBackend | null;
  /** Classify and reply; null without a model. */
  tasks: TaskService | null;
  feedback: FeedbackService;
  registry: RegistryService;
  /** Rollouts: startCanary (the analysis job's auto-start), evaluateNow (after each analysis run), overrides. */
  rollout: RolloutService;
  /** The analysis job; a draft that passes the replay gate asks the rollout for its canary. */
  analysis: AnalysisService;
  dashboard: DashboardService;
  /** Triage: the misclassifications, filtered and paged, and one interaction in full. */
  triage: TriageService;
  /** Named regression sets: the replay gate and the playground replay them. */
  regressionSets: RegressionSetService;
  /** Personal memory: what users asked the chat to remember about them (docs/memory.md). */
  memory: MemoryService;
  /** Few-shot memory: one BM25 index per version with `retrieval`, shared by inference and the analysis replay. */
  fewShotMemory: FewShotMemory;
  /** The served tasks (each task's active version), for the task routes and the turn. */
  taskDirectory: TaskDirectory;
  /** Where the rate limits (model requests, feedback, wrong admin tokens) keep their counters. */
  rateLimits: RateLimits;
  /** Redirects the services' log lines, e.g. to the server's logger once it exists. */
  setLog(log: ServiceLog): void;
  /** Stops a running analysis; the caller closes what it opened (database, model). */
  close(): Promise<void>;
}

export interface CompositionInput {
  config: Config;
  stores: Stores;
  backend: LlmBackend | null;
  /** The analysis's replays use this one when given (behind live requests); default `backend`. */
  replayBackend?: LlmBackend | null;
  hashIdentity: IdentityHasher;
  /** Shared by the replicas on PostgreSQL, this process's memory otherwise (the caller chooses). */
  rateLimits: RateLimits;
  /** Mints and checks the feedbackToken of every answer (keyed from the identity salt). */
  feedbackTokens: FeedbackTokens;
  now: () => number;
  /** Names new experiments; the rollout service's random default when absent. */
  newExperimentId?: (task: string, candidateVersionId: string) => string;
  analysisHooks?: AnalysisHooks;
  log?: ServiceLog;
}

/**
 * The one place features are wired to each other. Both `serve` and `promptloop analyze` get the same analysis
 * hooks: a draft that passed the replay gate asks for its canary (AUTO_START_CANARY may decline), and every
 * completed run is followed by a rollout evaluation, so a running experiment sees the fresh feedback at once.
 */
export function composeServices(input: CompositionInput): ComposedServices {
  const { config, stores, backend, now } = input;
  let log: ServiceLog = input.log ?? (() => {});
  const rollout = createRolloutService({
    prompts: stores.prompts,
    rollouts: stores.rollouts,
    interactions: stores.interactions,
    policy: config.rolloutPolicy,
    autoStartCanary: config.autoStartCanary,
    autoStartMinSessions: config.autoStartMinSessions,
    maxSessionShare: config.maxSessionShare,
    now,
    ...(input.newExperimentId && { newExperimentId: input.newExperimentId }),
  });
  const rolloutHooks: AnalysisHooks = {
    async onCandidateProposed(versionId, report) {
      // How many sessions the evidence behind the draft came from (AUTO_START_CANARY_MIN_SESSIONS).
      const evidence = report.tasks.find(
        (task) =>
          task.recommendation.decision === "create_draft" && task.recommendation.versionId === versionId,
      );
      const started = await rollout.startCanary(versionId, {
        actor: analysisActor,
        reason: `analysis report ${report.id}: ${versionId} passed the replay gate`,
        evidenceSessions: evidence?.sessions.errorSessions ?? 0,
      });
      log(
        "info",
        started.started
          ? `canary of ${versionId} started (experiment ${started.experiment.id})`
          : started.reason,
      );
    },
    async afterRun() {
      await rollout.evaluateNow({ actor: analysisActor });
    },
  };
  const fewShotMemory = createFewShotMemory();
  const regressionSets = createRegressionSetService({
    sets: stores.regressionSets,
    interactions: stores.interactions,
    prompts: stores.prompts,
    now,
  });
  const analysis = createAnalysisService({
    interactions: stores.interactions,
    prompts: stores.prompts,
    runs: stores.analysisRuns,
    evidence: stores.evidence,
    reports: stores.reports,
    backend: input.replayBackend === undefined ? backend : input.replayBackend,
    memory: fewShotMemory,
    settings: config.analysis,
    hooks: combineAnalysisHooks(rolloutHooks, input.analysisHooks),
    regressionSets: (task) => regressionSets.replaySetsFor(task),
    openExperiment: async (task) => {
      const open = await stores.rollouts.findOpenExperiment(task);
      if (open === undefined || (open.status !== "running" && open.status !== "halted")) return null;
      return {
        experimentId: open.experimentId,
        candidateVersionId: open.candidateVersionId,
        status: open.status,
      };
    },
    now,
    log: (level, message) => log(level, message),
  });
  // Serves the active version, or splits a task's traffic while its experiment runs.
  const router = createRolloutRouter({ prompts: stores.prompts, rollouts: stores.rollouts });
  const versionById = createVersionCache(stores.prompts);
  const memory = createMemoryService({
    store: stores.memory,
    settings: config.memory,
    hashIdentity: input.hashIdentity,
    now,
  });
  const tasks =
    backend &&
    createTaskService({
      backend,
      router,
      versionById,
      interactions: stores.interactions,
      hashIdentity: input.hashIdentity,
      feedbackTokens: input.feedbackTokens,
      maxReplyTokens: config.maxReplyTokens,
      retrieveExamples: (definition, text) => fewShotMemory.retrieve(definition, text),
      memory,
      now,
    });
  return {
    config,
    now,
    stores,
    backend,
    tasks,
    feedback: createFeedbackService({
      interactions: stores.interactions,
      targetOf: async (id) => (await versionById(id)).definition,
      hashIdentity: input.hashIdentity,
      tokens: input.feedbackTokens,
      rateLimiter: createFeedbackRateLimiter(config.feedbackRateLimitPerMinute, input.rateLimits),
      now,
    }),
    registry: createRegistryService({ prompts: stores.prompts, now, checkAdapter: adapterCheckFor(config) }),
    rollout,
    analysis,
    dashboard: createDashboardService({
      interactions: stores.interactions,
      prompts: stores.prompts,
      now,
      experiments: () => rollout.listExperiments(),
    }),
    triage: createTriageService({
      interactions: stores.interactions,
      prompts: stores.prompts,
      regressionSets: stores.regressionSets,
    }),
    regressionSets,
    memory,
    fewShotMemory,
    taskDirectory: createTaskDirectory(stores.prompts),
    rateLimits: input.rateLimits,
    setLog(next) {
      log = next;
    },
    close: () => analysis.close(),
  };
}
