import { randomUUID } from "node:crypto";
import type { FastifyInstance, FastifyReply } from "fastify";
import { AppError } from "../errors.js";
import type { ChatTurn } from "../engine/llm-backend.js";
import type { PromptStore } from "../prompts/store/prompt-store.js";
import { clientGoneSignal } from "../server/event-stream.js";
import type { ReplyStreamPart, TaskService } from "../tasks/task-service.js";
import { createApiKeyGuard } from "./api-keys.js";
import {
  chatCompletionSchemas,
  type ChatCompletionBody,
  type ChatCompletionMessage,
} from "./chat-completion-schema.js";
import { modelNameOf, parseModelName } from "./model-name.js";
import { handleOpenAiError, openAiErrorBody } from "./openai-error.js";
import { toAppError } from "../server/error-handler.js";
import { openAiUserUnit } from "../feedback/session-units.js";

export interface OpenAiRouteDeps {
  tasks: TaskService;
  prompts: PromptStore;
  /** API_KEYS; empty: no key needed. */
  apiKeys: readonly string[];
  maxInputChars: number;
  now?: () => number;
}

/** promptloop's fields beside OpenAI's: what POST /api/feedback needs, and a classifier's distribution. */
interface Extension {
  interactionId: string;
  feedbackToken: string;
  promptVersion: string;
  label?: string;
  confidence?: number;
  distribution?: Record<string, number>;
  /** Deprecated: the same as `distribution`, kept for clients written before it. */
  probabilities?: Record<string, number>;
}

const textOf = (content: ChatCompletionMessage["content"]) =>
  typeof content === "string" ? content : content.map((part) => part.text).join("");

/** OpenAI messages as the task service's turns (`developer` is a system turn). */
function turnsOf(messages: ChatCompletionMessage[], maxInputChars: number): ChatTurn[] {
  return messages.map((message) => {
    const content = textOf(message.content);
    if (content.length > maxInputChars) {
      throw new AppError("INPUT_TOO_LONG", `A message is longer than ${maxInputChars} characters`);
    }
    return { role: message.role === "developer" ? "system" : message.role, content };
  });
}

/** Whether the task has an active version: the tasks /v1/models lists. */
async function isReleased(prompts: PromptStore, task: string): Promise<boolean> {
  return (await prompts.listLabels(task)).some((label) => label.label === "active");
}

/**
 * The OpenAI-compatible API in: `POST /v1/chat/completions` and `GET /v1/models`, served by the same task service,
 * prompt versions, experiments and interaction records as /api/*, so the loop learns from this traffic too. The
 * response id is the interaction id; `promptloop.feedbackToken` lets the caller send feedback on it.
 */
export async function registerOpenAiRoutes(app: FastifyInstance, deps: OpenAiRouteDeps): Promise<void> {
  const now = deps.now ?? Date.now;
  const schemas = chatCompletionSchemas(deps.maxInputChars);
  await app.register(async (v1) => {
    v1.setErrorHandler(handleOpenAiError);
    v1.addHook("onRequest", createApiKeyGuard(deps.apiKeys));

    v1.get("/v1/models", { schema: schemas.models }, async () => {
      const active = (await deps.prompts.listLabels()).filter((label) => label.label === "active");
      const data = [];
      for (const label of active) {
        const versions = await deps.prompts.listVersions(label.task);
        const activeVersion = versions.find((version) => version.id === label.versionId);
        const created = Math.floor((activeVersion?.createdAt ?? 0) / 1000);
        data.push({ id: modelNameOf(label.task), object: "model", created, owned_by: "promptloop" });
        for (const version of versions) {
          const at = Math.floor(version.createdAt / 1000);
          data.push({ id: modelNameOf(version.id), object: "model", created: at, owned_by: "promptloop" });
        }
      }
      return { object: "list", data };
    });

    v1.post<{ Body: ChatCompletionBody }>(
      "/v1/chat/completions",
      { schema: schemas.chatCompletions, config: { modelBacked: true } },
      async (request, reply) => {
        const body = request.body;
        const choice = parseModelName(body.model);
        // A pinned version is served only for a released task (one /v1/models lists): a task that never had an
        // active version is someone's unfinished work, not a model.
        if (choice.versionId !== undefined && !(await isReleased(deps.prompts, choice.task))) {
          throw new AppError(
            "TASK_NOT_FOUND",
            `The model '${body.model}' does not exist: its task has no active version (GET /v1/models lists them)`,
          );
        }
        const messages = turnsOf(body.messages, deps.maxInputChars);
        const last = messages[messages.length - 1];
        if (last?.role !== "user")
          throw new AppError("VALIDATION_FAILED", "The last message must come from the user");
        const interactionId = randomUUID();
        const common = {
          task: choice.task,
          versionId: choice.versionId,
          interactionId,
          // Its own name space: a guessable API user id must not open /api/memory (src/feedback/session-units.ts).
          sessionId: body.user === undefined ? undefined : openAiUserUnit(body.user),
          signal: clientGoneSignal(reply),
        };
        const created = Math.floor(now() / 1000);
        const includeUsage = body.stream_options?.include_usage === true;

        if ((await deps.tasks.kindOf(choice)) === "classifier") {
          const outcome = await deps.tasks.classify({ ...common, text: last.content });
          const completion = {
            id: outcome.interactionId,
            created,
            model: modelNameOf(outcome.promptVersion),
            usage: usageOf(outcome.promptTokens, 1),
            extension: {
              interactionId: outcome.interactionId,
              feedbackToken: outcome.feedbackToken,
              promptVersion: outcome.promptVersion,
              label: outcome.label,
              confidence: outcome.confidence,
              distribution: outcome.distribution,
              probabilities: outcome.distribution,
            },
          };
          if (!body.stream) return completionBody(completion, outcome.label, "stop");
          const stream = openChunkStream(reply, completion.id, created, completion.model);
          stream.send({ role: "assistant", content: outcome.label }, null);
          stream.send({}, "stop", { promptloop: completion.extension });
          if (includeUsage) stream.usage(completion.usage);
          stream.end();
          return reply;
        }

        const maxTokens = body.max_completion_tokens ?? body.max_tokens;
        const parts = deps.tasks.reply({ ...common, messages, maxTokens });
        if (!body.stream) {
          for await (const part of parts) {
            if (part.type !== "done") continue;
            return completionBody(
              {
                id: part.interactionId,
                created,
                model: modelNameOf(part.promptVersion),
                usage: usageOf(part.usage.promptTokens, part.usage.completionTokens),
                extension: extensionOf(part),
              },
              part.reply,
              finishReasonOf(part.finishReason),
            );
          }
          return reply;
        }
        // The first part is awaited before the stream opens: routing, validation and overload errors keep their
        // status code and OpenAI's error body.
        const first = await parts.next();
        const stream = openChunkStream(reply, interactionId, created, body.model);
        stream.send({ role: "assistant", content: "" }, null);
        const forward = (part: ReplyStreamPart) => {
          if (part.type === "text") stream.send({ content: part.text }, null);
          else {
            stream.send({}, finishReasonOf(part.finishReason), { promptloop: extensionOf(part) });
            if (includeUsage) stream.usage(usageOf(part.usage.promptTokens, part.usage.completionTokens));
          }
        };
        try {
          if (!first.done) forward(first.value);
          for await (const part of parts) forward(part);
          stream.end();
        } catch (error) {
          stream.fail(error);
        }
        return reply;
      },
    );
  });
}

type FinishReason = "stop" | "length";

const finishReasonOf = (reason: "stop" | "length" | "cancelled"): FinishReason =>
  reason === "length" ? "length" : "stop";

const usageOf = (prompt: number, completion: number) => ({
  prompt_tokens: prompt,
  completion_tokens: completion,
  total_tokens: prompt + completion,
});

function extensionOf(done: Extract<ReplyStreamPart, { type: "done" }>): Extension {
  return {
    interactionId: done.interactionId,
    feedbackToken: done.feedbackToken,
    promptVersion: done.promptVersion,
  };
}

function completionBody(
  completion: {
    id: string;
    created: number;
    model: string;
    usage: ReturnType<typeof usageOf>;
    extension: Extension;
  },
  content: string,
  finishReason: FinishReason,
) {
  return {
    id: completion.id,
    object: "chat.completion",
    created: completion.created,
    model: completion.model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content, refusal: null },
        finish_reason: finishReason,
        logprobs: null,
      },
    ],
    usage: completion.usage,
    promptloop: completion.extension,
  };
}

/** OpenAI's streaming format: `data: <chunk>` events, then `data: [DONE]`; an error is `data: {error}`. */
function openChunkStream(reply: FastifyReply, id: string, created: number, model: string) {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  raw.flushHeaders();
  const write = (data: unknown) => {
    if (!raw.writableEnded && !raw.destroyed) raw.write(`data: ${JSON.stringify(data)}\n\n`);
  };
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    write({ id, object: "chat.completion.chunk", created, model, choices, ...extra });
  return {
    send(delta: Record<string, unknown>, finishReason: FinishReason | null, extra?: Record<string, unknown>) {
      chunk([{ index: 0, delta, logprobs: null, finish_reason: finishReason }], extra);
    },
    usage(usage: ReturnType<typeof usageOf>) {
      chunk([], { usage });
    },
    end() {
      if (!raw.writableEnded && !raw.destroyed) raw.write("data: [DONE]\n\n");
      raw.end();
    },
    fail(error: unknown) {
      write(openAiErrorBody(toAppError(error)));
      raw.end();
    },
  };
}
