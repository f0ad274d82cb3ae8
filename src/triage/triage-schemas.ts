/** JSON schemas (with OpenAPI examples) of the triage routes' answers. */

const judgement = {
  type: "object",
  required: ["correct", "judgedBy", "expectedLabel", "expectedLabelSource", "reasons", "conflict"],
  properties: {
    correct: { type: "boolean" },
    judgedBy: {
      type: "string",
      enum: ["correction", "thumbs_down", "thumbs_up"],
      description: "the feedback that decided the verdict: a user's correction, or the latest 👎/👍",
    },
    expectedLabel: {
      type: ["string", "null"],
      description: "the right label; null when 👎 leaves it unknown",
    },
    expectedLabelSource: {
      type: "string",
      enum: ["correction", "inferred", "unknown", "confirmation"],
      description:
        "correction: the user named it; inferred: 👎 on a two-label task, so the other label; unknown: 👎 on a " +
        "task with more labels; confirmation: 👍 on the predicted label",
    },
    reasons: { type: "array", items: { type: "string" }, description: "reason tags of the correction" },
    conflict: { type: "boolean", description: "other label feedback on it disagrees" },
  },
} as const;

export const misclassificationExample = {
  interactionId: "7d0f5d8e-3f4a-4c1e-9a55-0b6f1e2d3c4b",
  task: "sentiment",
  promptVersionId: "sentiment@v1",
  input: "房间还行，就是隔音太差了",
  predicted: "正面",
  confidence: 0.62,
  judgement: {
    correct: false,
    judgedBy: "thumbs_down",
    expectedLabel: "负面",
    expectedLabelSource: "inferred",
    reasons: [],
    conflict: false,
  },
  createdAt: "2026-12-06T03:00:00.000Z",
};

export const misclassificationPage = {
  type: "object",
  required: ["total", "offset", "limit", "items"],
  properties: {
    total: { type: "integer", description: "misclassifications matching the filters" },
    offset: { type: "integer" },
    limit: { type: "integer" },
    items: {
      type: "array",
      description: "newest first",
      items: {
        type: "object",
        required: [
          "interactionId",
          "task",
          "promptVersionId",
          "input",
          "predicted",
          "confidence",
          "judgement",
          "createdAt",
        ],
        properties: {
          interactionId: { type: "string" },
          task: { type: "string" },
          promptVersionId: { type: "string" },
          input: { type: "string", description: "as stored: personal data masked" },
          predicted: { type: ["string", "null"] },
          confidence: { type: ["number", "null"] },
          judgement,
          createdAt: { type: "string", format: "date-time" },
        },
      },
    },
  },
  examples: [{ total: 1, offset: 0, limit: 25, items: [misclassificationExample] }],
} as const;

const feedbackEvent = {
  type: "object",
  required: ["id", "type", "signal", "payload", "createdAt"],
  properties: {
    id: { type: "integer", description: "arrival order" },
    type: { type: "string" },
    signal: { type: "string", enum: ["explicit", "implicit"] },
    payload: { type: "object", additionalProperties: true },
    createdAt: { type: "string", format: "date-time" },
  },
} as const;

export const interactionView = {
  type: "object",
  required: ["interaction", "version", "judgement", "events", "regressionSets"],
  properties: {
    interaction: {
      type: "object",
      additionalProperties: true,
      required: ["id", "task", "promptVersionId", "input", "output", "label", "status", "createdAt"],
      properties: {
        id: { type: "string" },
        task: { type: "string" },
        promptVersionId: { type: "string" },
        sessionHash: { type: ["string", "null"] },
        input: { type: "string", description: "as stored: personal data masked" },
        output: { type: ["string", "null"] },
        label: { type: ["string", "null"] },
        confidence: { type: ["number", "null"] },
        latencyMs: { type: ["number", "null"] },
        status: { type: "string" },
        errorCode: { type: ["string", "null"] },
        experimentId: { type: ["string", "null"] },
        arm: { type: ["string", "null"] },
        createdAt: { type: "string", format: "date-time" },
      },
    },
    version: {
      type: ["object", "null"],
      additionalProperties: true,
      properties: {
        id: { type: "string" },
        version: { type: "string" },
        kind: { type: "string" },
        labels: { type: "array", items: { type: "string" } },
        systemPrompt: { type: "string" },
      },
    },
    judgement: { anyOf: [judgement, { type: "null" }] },
    events: { type: "array", items: feedbackEvent, description: "every feedback event, in arrival order" },
    regressionSets: {
      type: "array",
      description: "the named regression sets it is in",
      items: {
        type: "object",
        required: ["id", "name"],
        properties: { id: { type: "string" }, name: { type: "string" } },
      },
    },
  },
  examples: [
    {
      interaction: {
        id: misclassificationExample.interactionId,
        task: "sentiment",
        promptVersionId: "sentiment@v1",
        sessionHash: "3f9c2a7d5e1b4c8a9f0e6d2b7a1c5e3f",
        input: "房间还行，就是隔音太差了，电话 [phone]",
        output: "正面",
        label: "正面",
        confidence: 0.62,
        latencyMs: 140.2,
        status: "ok",
        errorCode: null,
        experimentId: null,
        arm: null,
        createdAt: "2026-12-06T03:00:00.000Z",
      },
      version: { id: "sentiment@v1", version: "v1", kind: "classifier", labels: ["正面", "负面"] },
      judgement: misclassificationExample.judgement,
      events: [
        {
          id: 41,
          type: "dwell",
          signal: "implicit",
          payload: { ms: 5200 },
          createdAt: "2026-12-06T03:00:06.000Z",
        },
        {
          id: 42,
          type: "label_confirm",
          signal: "explicit",
          payload: { correct: false },
          createdAt: "2026-12-06T03:00:07.000Z",
        },
      ],
      regressionSets: [{ id: "5b8e2f0a-0c3d-4e7b-9f61-2a9d4c7e1b30", name: "讽刺与转折" }],
    },
  ],
} as const;
