/** JSON schemas (request validation and OpenAPI) of the OpenAI-compatible routes. */

export interface ChatCompletionMessage {
  role: "system" | "developer" | "user" | "assistant";
  content: string | { type: "text"; text: string }[];
  name?: string;
}

export interface ChatCompletionBody {
  model: string;
  messages: ChatCompletionMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  max_tokens?: number;
  max_completion_tokens?: number;
  user?: string;
  n?: number;
  tools?: unknown[];
}

/** OpenAI's error body, which also carries this API's `code` (docs/errors.md). */
const errorRef = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["message", "type", "code"],
      properties: {
        message: { type: "string" },
        type: { type: "string", description: "OpenAI's error type, e.g. invalid_request_error" },
        param: { type: ["string", "null"] },
        code: { type: "string", description: "Stable error code; see docs/errors.md" },
        details: { type: "object", additionalProperties: true },
      },
    },
  },
};

export function chatCompletionSchemas(maxInputChars: number) {
  const text = { type: "string", maxLength: maxInputChars };
  const message = {
    type: "object",
    required: ["role", "content"],
    properties: {
      role: { type: "string", enum: ["system", "developer", "user", "assistant"] },
      content: {
        anyOf: [
          text,
          {
            type: "array",
            maxItems: 64,
            items: {
              type: "object",
              required: ["type", "text"],
              properties: { type: { type: "string", enum: ["text"] }, text },
            },
          },
        ],
      },
      name: { type: "string", maxLength: 200 },
    },
  };
  const body = {
    type: "object",
    required: ["model", "messages"],
    properties: {
      model: {
        type: "string",
        maxLength: 200,
        description: "promptloop/<task> (its served version) or promptloop/<task>@<version> (pinned)",
      },
      messages: { type: "array", minItems: 1, maxItems: 200, items: message },
      stream: { type: "boolean" },
      stream_options: { type: "object", properties: { include_usage: { type: "boolean" } } },
      max_tokens: { type: "integer", minimum: 1, maximum: 100_000 },
      max_completion_tokens: { type: "integer", minimum: 1, maximum: 100_000 },
      user: {
        type: "string",
        minLength: 1,
        maxLength: 200,
        description: "The end user: assigns experiment arms and is stored only as a salted hash",
      },
      n: { type: "integer", enum: [1], description: "Only one choice is generated" },
      tools: { type: "array", maxItems: 0, description: "Tools are not supported" },
    },
    // Other OpenAI fields (temperature, top_p, seed, ...) are accepted and ignored: sampling comes from the prompt
    // version, so that an experiment's arms differ only in their version.
    additionalProperties: true,
    examples: [
      {
        model: "promptloop/chat",
        messages: [{ role: "user", content: "这家店的外卖怎么样？" }],
        stream: false,
        user: "user-123",
      },
      { model: "promptloop/sentiment@v1", messages: [{ role: "user", content: "送餐很快，味道不错" }] },
    ],
  };
  const extension = {
    type: "object",
    description: "promptloop's own fields: send interactionId and feedbackToken to POST /api/feedback",
    properties: {
      interactionId: { type: "string" },
      feedbackToken: { type: "string" },
      promptVersion: { type: "string" },
      label: { type: "string" },
      confidence: { type: "number" },
      distribution: {
        type: "object",
        additionalProperties: { type: "number" },
        description: "P(label | the task's labels) for every label, as POST /api/tasks/{task} answers it",
      },
      probabilities: {
        type: "object",
        additionalProperties: { type: "number" },
        deprecated: true,
        description: "Deprecated: the same as `distribution` (kept for clients written before it)",
      },
    },
  };
  const completion = {
    type: "object",
    required: ["id", "object", "created", "model", "choices", "usage"],
    properties: {
      id: { type: "string", description: "The interaction id" },
      object: { type: "string", enum: ["chat.completion"] },
      created: { type: "integer" },
      model: { type: "string" },
      choices: {
        type: "array",
        items: {
          type: "object",
          properties: {
            index: { type: "integer" },
            message: {
              type: "object",
              properties: {
                role: { type: "string" },
                content: { type: "string" },
                refusal: { type: "null" },
              },
            },
            finish_reason: { type: "string" },
            logprobs: { type: "null" },
          },
        },
      },
      usage: {
        type: "object",
        properties: {
          prompt_tokens: { type: "integer" },
          completion_tokens: { type: "integer" },
          total_tokens: { type: "integer" },
        },
      },
      promptloop: extension,
    },
    examples: [
      {
        id: "0b6f7c1e-6a55-4c41-9d7e-0f4cb0d2a1b3",
        object: "chat.completion",
        created: 1765000000,
        model: "promptloop/sentiment@v1",
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: "正面", refusal: null },
            finish_reason: "stop",
            logprobs: null,
          },
        ],
        usage: { prompt_tokens: 61, completion_tokens: 1, total_tokens: 62 },
        promptloop: {
          interactionId: "0b6f7c1e-6a55-4c41-9d7e-0f4cb0d2a1b3",
          feedbackToken: "v1.…",
          promptVersion: "sentiment@v1",
          label: "正面",
          confidence: 0.93,
          distribution: { 正面: 0.93, 负面: 0.07 },
          probabilities: { 正面: 0.93, 负面: 0.07 },
        },
      },
    ],
  };
  const errors = { 400: errorRef, 401: errorRef, 404: errorRef, 413: errorRef, 429: errorRef, 503: errorRef };
  return {
    chatCompletions: {
      tags: ["openai"],
      summary: "OpenAI-compatible chat completions (stream and non-stream) on promptloop's tasks",
      description:
        "A generator task replies; a classifier task answers with its label as the message and the distribution " +
        "in `promptloop.distribution` (`promptloop.probabilities`, deprecated, repeats it). With `stream: true` the answer comes as OpenAI chunks (`text/event-stream`, " +
        "ending with `data: [DONE]`). Errors use OpenAI's shape, which also carries `code`.",
      body,
      response: { 200: completion, ...errors },
    },
    models: {
      tags: ["openai"],
      summary:
        "The models: promptloop/<task> for every served task, and promptloop/<task>@<version> for its versions",
      response: {
        200: {
          type: "object",
          properties: {
            object: { type: "string", enum: ["list"] },
            data: {
              type: "array",
              items: {
                type: "object",
                properties: {
                  id: { type: "string" },
                  object: { type: "string", enum: ["model"] },
                  created: { type: "integer" },
                  owned_by: { type: "string" },
                },
              },
            },
          },
          examples: [
            {
              object: "list",
              data: [
                { id: "promptloop/chat", object: "model", created: 1765000000, owned_by: "promptloop" },
                { id: "promptloop/chat@v1", object: "model", created: 1765000000, owned_by: "promptloop" },
              ],
            },
          ],
        },
        401: errorRef,
      },
    },
  };
}
