import type { GeneratorReplayItem, GeneratorReplies } from "../core/generator/generator-gate.js";
import type { LlmBackend } from "../../engine/llm-backend.js";
import { AppError, isAppError } from "../../errors.js";
import { chatMessages } from "../../tasks/chat-messages.js";
import type { PromptDefinition } from "../../tasks/prompt-definition.js";

export interface ReplayGeneratorOptions {
  /** MAX_REPLY_TOKENS: the reply stops where a served one would. */
  maxReplyTokens: number;
  signal?: AbortSignal;
  onItem?: () => void;
}

export interface GeneratorReplayOutcome {
  replies: GeneratorReplies;
  failures: number;
  firstFailure: string | null;
}

/**
 * Replays one chat version on the held-out user messages through the real engine, as a first turn of a
 * conversation (the version's system prompt, then the message), decoding greedily with a fixed seed so the current
 * version and a candidate differ only by their prompts. Items run one at a time (one model sequence at most); an
 * item the engine fails on gets no reply (the gate counts it as empty); cancellation stops the whole replay.
 */
export async function replayGenerator(
  backend: LlmBackend,
  definition: PromptDefinition,
  items: readonly GeneratorReplayItem[],
  options: ReplayGeneratorOptions,
): Promise<GeneratorReplayOutcome> {
  if (definition.kind !== "generator") {
    throw new AppError("VALIDATION_FAILED", `${definition.task}@${definition.version} is not a generator`);
  }
  const maxTokens = Math.min(definition.params?.maxTokens ?? options.maxReplyTokens, options.maxReplyTokens);
  const replies: Record<string, string | null> = {};
  let failures = 0;
  let firstFailure: string | null = null;
  for (const item of items) {
    if (options.signal?.aborted) throw new AppError("CLIENT_CLOSED", "The analysis run was cancelled");
    try {
      const messages = chatMessages(definition, [{ role: "user", content: item.input }], {
        promptTokens: backend.info.contextSize - maxTokens,
        countTokens: (text) => backend.countTokens(text),
      });
      let reply = "";
      for await (const part of backend.generate({
        messages,
        maxTokens,
        temperature: 0,
        seed: 1,
        ...(definition.params?.repeatPenalty !== undefined && {
          repeatPenalty: definition.params.repeatPenalty,
        }),
        ...(definition.adapter && { adapter: definition.adapter }),
        ...(options.signal && { signal: options.signal }),
      })) {
        if (part.type === "text") reply += part.text;
      }
      replies[item.id] = reply;
    } catch (error) {
      if (options.signal?.aborted || (isAppError(error) && error.code === "CLIENT_CLOSED")) throw error;
      failures += 1;
      replies[item.id] = null;
      firstFailure ??= isAppError(error)
        ? `${error.code}: ${error.message}`
        : `${(error as Error).message ?? String(error)}`;
    }
    options.onItem?.();
  }
  return { replies, failures, firstFailure };
}
