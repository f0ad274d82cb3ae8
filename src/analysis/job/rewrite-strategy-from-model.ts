import type { TaskAnalysis } from "../core/analyze-feedback.js";
import { candidateContext } from "../core/candidates/build-candidates.js";
import type { CandidateStrategy, CurrentPrompt } from "../core/candidates/candidate-prompt.js";
import { buildRewriteMetaPrompt, createRewriteStrategy } from "../core/candidates/rewrite-strategy.js";
import type { LlmBackend } from "../../engine/llm-backend.js";
import { isAppError } from "../../errors.js";

/**
 * The rewrite strategy (OPRO/ProTeGi style), with the served model's answer to the core's meta-prompt. Decoding is
 * greedy with a fixed seed, so the same analysis asks and gets the same rewrite. A failed generation becomes a
 * strategy that proposes nothing and says why (the run goes on without it).
 */
export async function rewriteStrategyFromModel(
  backend: LlmBackend,
  analysis: TaskAnalysis,
  current: CurrentPrompt,
  signal?: AbortSignal,
): Promise<CandidateStrategy> {
  const meta = buildRewriteMetaPrompt(candidateContext(analysis, current));
  let answer = "";
  try {
    for await (const part of backend.generate({
      messages: [
        { role: "system", content: meta.system },
        { role: "user", content: meta.user },
      ],
      // Chinese runs at about one token per character; a little room for the <prompt> tags.
      maxTokens: Math.min(512, meta.maxChars + 32),
      temperature: 0,
      seed: 1,
      ...(signal && { signal }),
    })) {
      if (part.type === "text") answer += part.text;
    }
  } catch (error) {
    if (signal?.aborted) throw error;
    const why = isAppError(error) ? `${error.code}: ${error.message}` : String(error);
    return {
      name: "rewrite",
      propose: (context) => context.skip(`the model failed to answer the rewrite request (${why})`),
    };
  }
  return createRewriteStrategy(answer);
}
