import { proposablePatterns } from "../core/candidates/build-candidates.js";
import { estimateTokens } from "../core/token-estimate.js";
import type { TaskAnalysis } from "../core/analyze-feedback.js";
import { buildGeneratorCandidates } from "../core/generator/generator-candidates.js";
import { decideGeneratorGate, type GeneratorGateResult } from "../core/generator/generator-gate.js";
import { chooseReplayItems } from "../core/generator/reply-evidence.js";
import type { TaskReportInput } from "../core/report/build-report.js";
import type { PromptVersion } from "../../prompts/store/prompt-store.js";
import type { AnalysisConfig } from "../../config.js";
import type { LlmBackend } from "../../engine/llm-backend.js";
import type { AnalysisJobResult } from "./analysis-job-result.js";
import { replayGenerator } from "./replay-generator.js";
import { candidateDefinition, currentPromptOf } from "./save-drafts.js";
import { accountReplayCost } from "./account-replay-cost.js";

/**
 * Builds a chat task's candidates (requirements from reply properties and user-message patterns, exemplars from
 * edits) and, when replaying, answers the held-out user messages with the current version and each candidate and
 * runs the generator gate on the replies.
 */
export interface ChatReplayContext {
  /** The served model when replaying; null: candidates are built but not replayed. */
  backend: LlmBackend | null;
  settings: Pick<AnalysisConfig, "chatReplayItems" | "maxReplyTokens">;
  signal?: AbortSignal | undefined;
  onProgress?:
    ((progress: { phase: "replay"; done: number; total: number; task: string }) => void) | undefined;
}

export async function chatCandidatesFor(
  context: ChatReplayContext,
  current: PromptVersion,
  analysis: TaskAnalysis,
  cost: AnalysisJobResult["replay"],
): Promise<Pick<TaskReportInput, "candidates" | "generatorGates">> {
  const replies = analysis.quality.replies;
  if (replies === null) return {};
  const candidates = buildGeneratorCandidates({
    current: currentPromptOf(current),
    properties: replies.properties,
    exemplars: replies.exemplars,
    lowQualityPatterns: proposablePatterns(analysis.quality.lowQuality?.patterns ?? []),
    estimateTokens,
  });
  const { backend, settings } = context;
  if (backend === null || candidates.candidates.length === 0) return { candidates };

  const started = Date.now();
  const items = chooseReplayItems(replies.replayItems, settings.chatReplayItems);
  const total = items.length * (candidates.candidates.length + 1);
  let done = 0;
  const options = {
    maxReplyTokens: settings.maxReplyTokens,
    ...(context.signal && { signal: context.signal }),
    onItem: () => {
      done += 1;
      if (done % 10 === 0 || done === total) {
        context.onProgress?.({ phase: "replay", done, total, task: analysis.task });
      }
    },
  };
  context.onProgress?.({ phase: "replay", done: 0, total, task: analysis.task });
  const baseline = await replayGenerator(backend, current.definition, items, options);
  accountReplayCost(cost, baseline, items.length);
  const generatorGates: Record<string, GeneratorGateResult> = {};
  for (const candidate of candidates.candidates) {
    const definition = candidateDefinition(current.definition, candidate, current.id);
    const outcome = await replayGenerator(backend, definition, items, options);
    accountReplayCost(cost, outcome, items.length);
    generatorGates[candidate.strategy] = decideGeneratorGate({
      items,
      current: baseline.replies,
      candidate: outcome.replies,
      lengthTarget: replies.lengthTarget,
      targetProperties: candidate.targetProperties,
    });
  }
  cost.durationMs += Date.now() - started;
  return { candidates, generatorGates };
}
