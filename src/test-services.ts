import { createHash } from "node:crypto";
import { createInMemoryMemoryStore } from "./memory/store/in-memory-memory-store.js";
import { createInMemoryRegressionSetStore } from "./triage/regression-sets/in-memory-regression-set-store.js";
import { createInMemoryAnalysisRunStore } from "./analysis/job/in-memory-analysis-run-store.js";
import { createInMemoryReportStore } from "./analysis/job/in-memory-report-store.js";
import { createInteractionEvidenceQueries } from "./analysis/job/interaction-evidence-queries.js";
import type { AnalysisHooks } from "./analysis/job/analysis-service.js";
import { createFeedbackTokens, feedbackTokenKey } from "./feedback/feedback-token.js";
import { composeServices, type ComposedServices } from "./compose-services.js";
import { bundledPromptsDir, loadConfig, type RawConfig } from "./config.js";
import { FakeLlmBackend } from "./engine/fake-llm-backend.js";
import { createInMemoryInteractionStore } from "./feedback/store/in-memory-interaction-store.js";
import { readPromptDirectory } from "./prompts/prompt-directory.js";
import { createInMemoryPromptStore } from "./prompts/store/in-memory-prompt-store.js";
import { syncPromptFiles } from "./prompts/sync-prompt-files.js";
import { createInMemoryRolloutStore } from "./rollout/store/in-memory-rollout-store.js";
import { memoryRateLimits } from "./rate-limits/rate-limits.js";

export interface TestServiceOptions {
  /** Settings over the defaults (as environment variable names); no environment is read. */
  config?: Partial<RawConfig>;
  /** The model; a FakeLlmBackend with its defaults when absent. */
  backend?: FakeLlmBackend;
  now?: () => number;
  analysisHooks?: AnalysisHooks;
}

export interface TestServices extends ComposedServices {
  backend: FakeLlmBackend;
}

/**
 * The same wiring as createServices (composeServices) on fakes: in-memory stores, a FakeLlmBackend, a fixed
 * identity salt, the bundled prompt files loaded into the registry. Nothing touches the disk or loads a model.
 */
export async function createTestServices(options: TestServiceOptions = {}): Promise<TestServices> {
  const config = loadConfig({}, { DATA_DIR: "(memory)", PROMPTS_DIR: bundledPromptsDir, ...options.config });
  const now = options.now ?? Date.now;
  const prompts = createInMemoryPromptStore();
  await syncPromptFiles(prompts, await readPromptDirectory(config.promptsDir), now());
  const interactions = createInMemoryInteractionStore();
  const backend = options.backend ?? new FakeLlmBackend();
  const composed = composeServices({
    config,
    stores: {
      prompts,
      interactions,
      rollouts: createInMemoryRolloutStore(prompts),
      analysisRuns: createInMemoryAnalysisRunStore(),
      evidence: createInteractionEvidenceQueries(interactions),
      reports: createInMemoryReportStore(),
      memory: createInMemoryMemoryStore(),
      regressionSets: createInMemoryRegressionSetStore(interactions),
    },
    backend,
    hashIdentity: (id) => createHash("sha256").update(`test-salt:${id}`).digest("hex").slice(0, 32),
    feedbackTokens: createFeedbackTokens(feedbackTokenKey(Buffer.from("test-salt"))),
    rateLimits: memoryRateLimits(),
    now,
    ...(options.analysisHooks && { analysisHooks: options.analysisHooks }),
  });
  return { ...composed, backend };
}
