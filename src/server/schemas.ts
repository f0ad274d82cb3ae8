import { feedbackSubmissionJsonSchema } from "../feedback/feedback-event.js";
import { sessionIdPattern } from "../feedback/session-units.js";

/**
 * JSON schemas of the public API. Fastify validates requests with them and @fastify/swagger publishes them as
 * OpenAPI at /docs. Limits that depend on configuration (MAX_INPUT_CHARS) are filled in by `apiSchemas`.
 */
export const errorSchema = {
  $id: "Error",
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", description: "Stable error code; see docs/errors.md" },
        message: { type: "string" },
        details: { type: "object", additionalProperties: true },
      },
    },
  },
} as const;

const sessionId = {
  type: "string",
  minLength: 1,
  maxLength: 200,
  pattern: sessionIdPattern,
  description: "Opaque client id; stored only as a salted hash",
};

const feedbackToken = {
  type: "string",
  description:
    "Send it with feedback on this answer (POST /api/feedback); it proves the feedback comes from its receiver",
};

export function apiSchemas(maxInputChars: number) {
  const text = { type: "string", minLength: 1, maxLength: maxInputChars };
  const turn = {
    type: "object",
    required: ["role", "content"],
    additionalProperties: false,
    properties: { role: { type: "string", enum: ["user", "assistant", "system"] }, content: text },
  };
  const sentimentResult = {
    type: "object",
    required: ["interactionId", "feedbackToken", "label", "confidence", "promptVersion", "latencyMs"],
    properties: {
      interactionId: { type: "string" },
      feedbackToken,
      label: { type: "string" },
      confidence: { type: "number", exclusiveMinimum: 0, maximum: 1 },
      promptVersion: { type: "string" },
      latencyMs: { type: "number" },
    },
  };
  const distribution = {
    type: "object",
    additionalProperties: { type: "number", minimum: 0, maximum: 1 },
    description: "P(label | the task's labels) for every label of the version that answered, in its order",
  };
  const classificationResult = {
    type: "object",
    required: [
      "interactionId",
      "feedbackToken",
      "label",
      "confidence",
      "distribution",
      "promptVersion",
      "latencyMs",
    ],
    properties: { ...sentimentResult.properties, distribution },
  };
  const turnClassification = {
    type: "object",
    required: ["task", ...classificationResult.required],
    properties: { task: { type: "string" }, ...classificationResult.properties },
  };
  const moderationVerdict = {
    type: ["object", "null"],
    required: ["task", "policy", "interactionId", "label", "flagged", "action", "disputeLabel"],
    properties: {
      task: { type: "string" },
      policy: { type: "string", enum: ["off", "flag", "block"] },
      interactionId: { type: "string" },
      label: { type: "string" },
      flagged: { type: "boolean" },
      action: { type: "string", enum: ["reply", "withhold", "refuse"] },
      disputeLabel: { type: ["string", "null"] },
    },
  };
  const replyResult = {
    type: "object",
    required: ["interactionId", "feedbackToken", "reply", "promptVersion", "latencyMs"],
    properties: {
      interactionId: { type: "string" },
      feedbackToken,
      reply: { type: "string" },
      promptVersion: { type: "string" },
      latencyMs: { type: "number" },
      finishReason: { type: "string", enum: ["stop", "length", "cancelled"] },
      usage: {
        type: "object",
        properties: { promptTokens: { type: "integer" }, completionTokens: { type: "integer" } },
      },
    },
  };
  const errors = {
    400: { $ref: "Error#" },
    404: { $ref: "Error#" },
    413: { $ref: "Error#" },
    503: { $ref: "Error#" },
  };
  // The routes that run the model also answer 429 RATE_LIMITED (RATE_LIMIT_PER_MINUTE).
  const modelErrors = { ...errors, 429: { $ref: "Error#" } };
  return {
    sentiment: {
      tags: ["tasks"],
      summary: "Classify the sentiment of a text (正面/负面)",
      body: {
        type: "object",
        required: ["text"],
        additionalProperties: false,
        properties: { text, sessionId },
      },
      response: { 200: sentimentResult, ...modelErrors },
    },
    tasks: {
      tags: ["tasks"],
      summary: "The served tasks: kind, labels, feedback widgets and active version",
      response: {
        200: {
          type: "array",
          items: {
            type: "object",
            required: ["task", "kind", "activeVersion", "feedback"],
            properties: {
              task: { type: "string" },
              kind: { type: "string", enum: ["classifier", "generator"] },
              labels: { type: "array", items: { type: "string" } },
              flagLabels: { type: "array", items: { type: "string" } },
              activeVersion: { type: "string" },
              description: { type: "string" },
              feedback: { type: "object", additionalProperties: true },
            },
          },
          examples: [
            [
              {
                task: "intent",
                kind: "classifier",
                labels: ["卡片办理", "卡片故障", "转账汇款"],
                activeVersion: "intent@v1",
                feedback: { confirm: true, correct: true, reasons: ["other"] },
              },
              {
                task: "chat",
                kind: "generator",
                activeVersion: "chat@v1",
                feedback: { rating: true, edit: true },
              },
            ],
          ],
        },
      },
    },
    runTask: {
      tags: ["tasks"],
      summary: "Run any task: a classifier takes {text}, a generator the chat shape (SSE or JSON)",
      description:
        "Unknown task → 404 TASK_NOT_FOUND; {messages} sent to a classifier or {text} to a generator → 400 WRONG_TASK_KIND.",
      params: {
        type: "object",
        required: ["task"],
        properties: { task: { type: "string", minLength: 1, maxLength: 64 } },
      },
      body: {
        type: "object",
        additionalProperties: false,
        properties: {
          text,
          messages: { type: "array", minItems: 1, maxItems: 50, items: turn },
          sessionId,
          stream: { type: "boolean" },
        },
        examples: [
          { text: "My card still hasn't arrived after two weeks", sessionId: "s-1" },
          { messages: [{ role: "user", content: "你好" }], stream: false },
        ],
      },
      response: {
        200: {
          anyOf: [classificationResult, replyResult],
          examples: [
            {
              interactionId: "0b6f…",
              feedbackToken: "q3kX…",
              label: "卡片办理",
              confidence: 0.62,
              distribution: { 卡片办理: 0.62, 卡片故障: 0.3, 转账汇款: 0.08 },
              promptVersion: "intent@v1",
              latencyMs: 231.4,
            },
          ],
        },
        ...modelErrors,
      },
    },
    chat: {
      tags: ["tasks"],
      summary: "Reply to a conversation (SSE stream by default, JSON with stream: false)",
      body: {
        type: "object",
        required: ["messages"],
        additionalProperties: false,
        properties: {
          messages: { type: "array", minItems: 1, maxItems: 50, items: turn },
          sessionId,
          stream: { type: "boolean", default: true },
        },
      },
      response: { 200: replyResult, ...modelErrors },
    },
    analyze: {
      tags: ["tasks"],
      summary:
        "The all-in-one turn: the configured classifiers (TURN_CLASSIFIERS) and moderation, then a reply",
      body: {
        type: "object",
        required: ["text"],
        additionalProperties: false,
        properties: {
          text,
          sessionId,
          history: { type: "array", maxItems: 50, items: turn },
          stream: { type: "boolean", default: true },
        },
      },
      response: {
        200: {
          type: "object",
          required: ["classifications", "moderation", "reply"],
          properties: {
            sentiment: sentimentResult,
            classifications: { type: "array", items: turnClassification },
            moderation: moderationVerdict,
            reply: { ...replyResult, type: ["object", "null"] },
            refusal: { type: "object", properties: { message: { type: "string" } } },
          },
        },
        ...modelErrors,
      },
    },
    feedback: {
      tags: ["feedback"],
      summary: "Record explicit or implicit feedback on an interaction",
      description: "Also accepts a text/plain body holding JSON, so that navigator.sendBeacon can post it.",
      body: feedbackSubmissionJsonSchema(maxInputChars),
      response: {
        202: {
          type: "object",
          required: ["feedbackId", "duplicate"],
          properties: {
            feedbackId: { type: "integer" },
            duplicate: {
              type: "boolean",
              description: "true: this event was stored before (a replay); stored once",
            },
          },
        },
        ...errors,
        403: { $ref: "Error#" },
        409: { $ref: "Error#" },
        429: { $ref: "Error#" },
      },
    },
  };
}
