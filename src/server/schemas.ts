import { feedbackSubmissionJsonSchema } from "../feedback/feedback-event.js";

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
      summary: "The all-in-one turn: the text's sentiment, then a reply to it",
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
          required: ["sentiment", "reply"],
          properties: { sentiment: sentimentResult, reply: replyResult },
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
