import { randomUUID } from "node:crypto";
import { AppError, isAppError } from "../errors.js";
import { toStorageAppError } from "../storage/storage-error.js";
import type { ChatTurn, GenerateStreamPart, LlmBackend } from "../engine/llm-backend.js";
import type { FeedbackTokens } from "../feedback/feedback-token.js";
import { redactPersonalData } from "../feedback/redact-personal-data.js";
import type { PromptRouter, RoutedPrompt } from "./prompt-router.js";
import type { Interaction, InteractionStore } from "../feedback/store/interaction-store.js";
import type { MemoryService } from "../memory/memory-service.js";
import { withMemory } from "../memory/core/memory-context.js";
import { chatMessages } from "./chat-messages.js";
import { classificationPrefix } from "./classification-prompt.js";
import type { FewShotExample, PromptDefinition } from "./prompt-definition.js";

export interface TaskServiceDeps {
  backend: LlmBackend;
  router: PromptRouter;
  interactions: InteractionStore;
  hashIdentity: (id: string) => string;
  /** Mints the feedbackToken each answer carries: the proof its receiver may give feedback on it. */
  feedbackTokens: Pick<FeedbackTokens, "issue">;
  maxReplyTokens: number;
  /** A version by id, for requests pinned to one (`versionId`); AppError PROMPT_VERSION_NOT_FOUND when unknown. */
  versionById?: (id: string) => Promise<{ id: string; definition: PromptDefinition }>;
  /** Personal memory (docs/memory.md): learns from chat messages and adds what it knows to the system prompt. */
  memory?: Pick<MemoryService, "forTurn">;
  /** Few-shot memory: examples retrieved for this input when the version asks for retrieval. */
  retrieveExamples?: (definition: PromptDefinition, input: string) => FewShotExample[];
  now?: () => number;
  newId?: () => string;
}

export interface ClassificationOutcome {
  interactionId: string;
  /** Send it back with feedback on this answer (POST /api/feedback). */
  feedbackToken: string;
  label: string;
  /** P(label | the task's labels), in (0, 1]. */
  confidence: number;
  /** Tokens of the rendered prompt. */
  promptTokens: number;
  /**
   * P(each label | the task's labels), every label of the version that answered, in its order; sums to 1. The one
   * name for it on every route (the OpenAI-compatible route also sends it as its older `probabilities`).
   */
  distribution: Record<string, number>;
  promptVersion: string;
  latencyMs: number;
}

/** Which version serves a request: the router's choice, or a pinned one. */
interface VersionChoice {
  /** Serve exactly this version (`<task>@<version>`) instead of routing; it is outside any experiment. */
  versionId?: string | undefined;
  /** The interaction's id, when the caller needs it before the answer (a stream's chunks carry it). */
  interactionId?: string | undefined;
  /**
   * false: a trial (the console's playground): answered by the model like any request, but no interaction is
   * recorded, so it never counts as traffic, in an experiment or in the analysis. Default true.
   */
  record?: boolean | undefined;
}

export interface ReplyRequest extends VersionChoice {
  task: string;
  /** A lower reply limit than the version's and MAX_REPLY_TOKENS (never a higher one). */
  maxTokens?: number | undefined;
  messages: ChatTurn[];
  sessionId?: string | undefined;
  parentId?: string | undefined;
  signal?: AbortSignal | undefined;
}

export type ReplyStreamPart =
  | { type: "text"; text: string }
  | {
      type: "done";
      interactionId: string;
      /** Send it back with feedback on this reply (POST /api/feedback). */
      feedbackToken: string;
      promptVersion: string;
      reply: string;
      latencyMs: number;
      /** Why the reply ended (`stop` = end of turn, `length` = the token limit), and its size in tokens. */
      finishReason: "stop" | "length" | "cancelled";
      usage: { promptTokens: number; completionTokens: number };
    };

export interface TaskService {
  classify(
    request: {
      task: string;
      text: string;
      sessionId?: string | undefined;
      signal?: AbortSignal | undefined;
    } & VersionChoice,
  ): Promise<ClassificationOutcome>;
  reply(request: ReplyRequest): AsyncGenerator<ReplyStreamPart>;
  /** Whether a task (or one pinned version of it) classifies or generates; TASK_NOT_FOUND when it doesn't exist. */
  kindOf(request: { task: string; versionId?: string | undefined }): Promise<PromptDefinition["kind"]>;
}

/** Refused for overload before the model ran: nothing happened that is worth a row (and a flood must not write). */
const wasRefused = (error: unknown) => isAppError(error) && error.code === "ENGINE_BUSY";

/** A trial's interaction goes nowhere (VersionChoice.record false). */
const skipRecording = async (_interaction: Interaction): Promise<void> => {};

const round = (ms: number) => Math.round(ms * 10) / 10;

/** Runs prompt-defined tasks on the shared model and records every interaction, including failed ones. */
export function createTaskService(deps: TaskServiceDeps): TaskService {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? randomUUID;

  async function route(task: string, sessionHash: string | null, versionId: string | undefined) {
    if (versionId === undefined) return deps.router.route(task, sessionHash);
    if (!deps.versionById) throw new AppError("BAD_REQUEST", "This service can't pin prompt versions");
    const version = await deps.versionById(versionId);
    if (version.definition.task !== task) {
      throw new AppError(
        "PROMPT_VERSION_NOT_FOUND",
        `Prompt version ${versionId} is not a version of ${task}`,
      );
    }
    return { version, experimentId: null, arm: null } satisfies RoutedPrompt;
  }

  function baseInteraction(
    routed: RoutedPrompt,
    task: string,
    input: string,
    sessionHash: string | null,
    id: string | undefined,
  ) {
    return {
      id: id ?? newId(),
      task,
      promptVersionId: routed.version.id,
      sessionHash,
      userHash: null,
      input: redactPersonalData(input),
      experimentId: routed.experimentId,
      arm: routed.arm,
      createdAt: now(),
    };
  }

  async function storeInteraction(interaction: Interaction): Promise<void> {
    try {
      await deps.interactions.record(interaction);
    } catch (error) {
      throw new AppError(
        "STORAGE_FAILED",
        `The answer could not be stored (${toStorageAppError(error)?.message ?? "database error"}); nothing was recorded, retry`,
        { cause: error },
      );
    }
  }

  /** The user's memory for this turn ("" without one); a memory failure costs the turn its memory, not its reply. */
  async function personalMemory(
    sessionHash: string | null,
    definition: PromptDefinition,
    userText: string,
    interactionId: string,
    countTokens: (text: string) => number,
  ): Promise<string> {
    if (!deps.memory || sessionHash === null) return "";
    try {
      const { text } = await deps.memory.forTurn({
        sessionHash,
        definition,
        userText,
        interactionId,
        countTokens,
      });
      return text;
    } catch {
      return "";
    }
  }

  function failure(error: unknown): { code: string; rethrow: AppError } {
    const appError = isAppError(error)
      ? error
      : new AppError("ENGINE_FAILED", "The model failed to answer", { cause: error });
    return { code: appError.code, rethrow: appError };
  }

  return {
    async kindOf({ task, versionId }) {
      return (await route(task, null, versionId)).version.definition.kind;
    },

    async classify({ task, text, sessionId, signal, versionId, interactionId, record }) {
      const store = record === false ? skipRecording : storeInteraction;
      const sessionHash = sessionId === undefined ? null : deps.hashIdentity(sessionId);
      const routed = await route(task, sessionHash, versionId);
      const definition = routed.version.definition;
      if (definition.kind !== "classifier" || !definition.labels) {
        throw new AppError(
          "WRONG_TASK_KIND",
          `Task ${task} is a generator: send {messages, sessionId?, stream?}, not {text}`,
        );
      }
      if (record !== false) await deps.interactions.assertCanRecord();
      const base = baseInteraction(routed, task, text, sessionHash, interactionId);
      const started = performance.now();
      const retrieved = definition.retrieval ? (deps.retrieveExamples?.(definition, text) ?? []) : [];
      try {
        const result = await deps.backend.classify({
          prefix: classificationPrefix(definition, retrieved),
          input: text,
          labels: definition.labels,
          ...(definition.adapter && { adapter: definition.adapter }),
          ...(signal && { signal }),
        });
        const latencyMs = round(performance.now() - started);
        await store({
          ...base,
          parentId: null,
          output: result.label,
          label: result.label,
          confidence: result.confidence,
          latencyMs,
          status: "ok",
          errorCode: null,
          completedAt: now(),
        });
        return {
          interactionId: base.id,
          feedbackToken: deps.feedbackTokens.issue(base.id, base.sessionHash),
          label: result.label,
          confidence: result.confidence,
          promptTokens: result.promptTokens,
          distribution: result.probabilities,
          promptVersion: routed.version.id,
          latencyMs,
        };
      } catch (error) {
        if (isAppError(error) && error.code === "STORAGE_FAILED") throw error;
        if (wasRefused(error)) throw error;
        const { code, rethrow } = failure(error);
        const cancelled = code === "CLIENT_CLOSED";
        await store({
          ...base,
          parentId: null,
          output: null,
          label: null,
          confidence: null,
          latencyMs: round(performance.now() - started),
          status: cancelled ? "cancelled" : "error",
          errorCode: code,
          completedAt: now(),
        }).catch(() => {});
        throw rethrow;
      }
    },

    async *reply({
      task,
      messages,
      sessionId,
      parentId,
      signal,
      versionId,
      interactionId,
      maxTokens: asked,
      record,
    }) {
      const store = record === false ? skipRecording : storeInteraction;
      const sessionHash = sessionId === undefined ? null : deps.hashIdentity(sessionId);
      const routed = await route(task, sessionHash, versionId);
      const definition = routed.version.definition;
      if (definition.kind !== "generator")
        throw new AppError(
          "WRONG_TASK_KIND",
          `Task ${task} is a classifier: send {text, sessionId?}, not {messages}`,
        );
      const lastUser = [...messages].reverse().find((m) => m.role === "user");
      if (!lastUser) throw new AppError("VALIDATION_FAILED", "The conversation needs a user message");
      const maxTokens = Math.min(
        definition.params?.maxTokens ?? deps.maxReplyTokens,
        deps.maxReplyTokens,
        asked ?? Number.POSITIVE_INFINITY,
      );
      if (record !== false) await deps.interactions.assertCanRecord();
      const base = baseInteraction(routed, task, lastUser.content, sessionHash, interactionId);
      const countTokens = (text: string) => deps.backend.countTokens(text);
      const memory = await personalMemory(sessionHash, definition, lastUser.content, base.id, countTokens);
      const conversation = chatMessages(
        memory === ""
          ? definition
          : { ...definition, systemPrompt: withMemory(definition.systemPrompt, memory) },
        messages,
        { promptTokens: deps.backend.info.contextSize - maxTokens, countTokens },
      );
      const started = performance.now();
      let reply = "";
      let status: Interaction["status"] = "ok";
      let errorCode: string | null = null;
      let finish: Extract<GenerateStreamPart, { type: "finish" }> | undefined;
      try {
        const params = definition.params ?? {};
        for await (const part of deps.backend.generate({
          messages: conversation,
          maxTokens,
          ...(params.temperature !== undefined && { temperature: params.temperature }),
          ...(params.topP !== undefined && { topP: params.topP }),
          ...(params.topK !== undefined && { topK: params.topK }),
          ...(params.repeatPenalty !== undefined && { repeatPenalty: params.repeatPenalty }),
          ...(definition.adapter && { adapter: definition.adapter }),
          ...(signal && { signal }),
        })) {
          if (part.type === "text") {
            reply += part.text;
            yield part;
          } else {
            finish = part;
            if (part.finishReason === "cancelled") status = "cancelled";
          }
        }
      } catch (error) {
        if (wasRefused(error)) throw error;
        const { code, rethrow } = failure(error);
        status = code === "CLIENT_CLOSED" ? "cancelled" : "error";
        errorCode = code;
        await store({
          ...base,
          parentId: parentId ?? null,
          output: redactPersonalData(reply),
          label: null,
          confidence: null,
          latencyMs: round(performance.now() - started),
          status,
          errorCode,
          completedAt: now(),
        }).catch(() => {});
        throw rethrow;
      }
      const latencyMs = round(performance.now() - started);
      await store({
        ...base,
        parentId: parentId ?? null,
        output: redactPersonalData(reply),
        label: null,
        confidence: null,
        latencyMs,
        status,
        errorCode,
        completedAt: now(),
      });
      yield {
        type: "done",
        interactionId: base.id,
        feedbackToken: deps.feedbackTokens.issue(base.id, base.sessionHash),
        promptVersion: routed.version.id,
        reply,
        latencyMs,
        finishReason: finish?.finishReason ?? "stop",
        usage: { promptTokens: finish?.promptTokens ?? 0, completionTokens: finish?.completionTokens ?? 0 },
      };
    },
  };
}
