/** JSON schemas (with OpenAPI examples) of the regression-set routes. */

export const setName = { type: "string", minLength: 1, maxLength: 80, pattern: "\\S" } as const;
export const actor = {
  type: "string",
  minLength: 1,
  maxLength: 100,
  description:
    "recorded as api:<actor> (shared ADMIN_TOKEN only; named tokens and sessions record their operator)",
} as const;

const setExample = {
  id: "5b8e2f0a-0c3d-4e7b-9f61-2a9d4c7e1b30",
  task: "sentiment",
  name: "讽刺与转折",
  createdBy: "console:alice",
  createdAt: "2026-12-06T06:30:00.000Z",
  updatedAt: "2026-12-06T06:32:00.000Z",
  items: 1,
};

export const regressionSet = {
  type: "object",
  required: ["id", "task", "name", "createdBy", "createdAt", "updatedAt", "items"],
  properties: {
    id: { type: "string" },
    task: { type: "string" },
    name: { type: "string" },
    createdBy: { type: "string" },
    createdAt: { type: "string", format: "date-time" },
    updatedAt: { type: "string", format: "date-time" },
    items: { type: "integer", description: "interactions in the set" },
  },
  examples: [setExample],
} as const;

const itemExample = {
  interactionId: "7d0f5d8e-3f4a-4c1e-9a55-0b6f1e2d3c4b",
  expectedLabel: "负面",
  expectedSource: "inferred",
  addedBy: "console:alice",
  addedAt: "2026-12-06T06:32:00.000Z",
  input: "房间还行，就是隔音太差了",
  promptVersionId: "sentiment@v1",
  predicted: "正面",
  createdAt: "2026-12-06T03:00:00.000Z",
};

const item = {
  type: "object",
  required: [
    "interactionId",
    "expectedLabel",
    "expectedSource",
    "addedBy",
    "addedAt",
    "input",
    "promptVersionId",
  ],
  properties: {
    interactionId: { type: "string" },
    expectedLabel: { type: "string" },
    expectedSource: {
      type: "string",
      enum: ["correction", "inferred", "operator"],
      description: "the user's correction, inferred from 👎 on a two-label task, or named by the operator",
    },
    addedBy: { type: "string" },
    addedAt: { type: "string", format: "date-time" },
    input: { type: "string", description: "as stored: personal data masked" },
    promptVersionId: { type: "string" },
    predicted: { type: ["string", "null"] },
    createdAt: { type: "string", format: "date-time" },
  },
} as const;

const change = {
  type: "object",
  required: ["id", "action", "interactionId", "detail", "actor", "at"],
  properties: {
    id: { type: "integer" },
    action: { type: "string", enum: ["create", "rename", "delete", "add", "relabel", "remove"] },
    interactionId: { type: ["string", "null"] },
    detail: { type: "object", additionalProperties: true },
    actor: { type: "string" },
    at: { type: "string", format: "date-time" },
  },
} as const;

export const setList = {
  type: "object",
  required: ["sets"],
  properties: { sets: { type: "array", items: regressionSet } },
  examples: [{ sets: [setExample] }],
} as const;

export const setDetail = {
  type: "object",
  required: ["set", "items", "changes"],
  properties: {
    set: regressionSet,
    items: { type: "array", items: item, description: "in the order they were added" },
    changes: { type: "array", items: change, description: "the audit log, newest first (latest 50)" },
  },
  examples: [
    {
      set: setExample,
      items: [itemExample],
      changes: [
        {
          id: 2,
          action: "add",
          interactionId: itemExample.interactionId,
          detail: { expectedLabel: "负面", expectedSource: "inferred" },
          actor: "console:alice",
          at: "2026-12-06T06:32:00.000Z",
        },
      ],
    },
  ],
} as const;

export const putItemResult = {
  type: "object",
  required: ["added", "expectedLabel", "expectedSource"],
  properties: {
    added: {
      type: "boolean",
      description: "false: the interaction was in the set already (its label may change)",
    },
    expectedLabel: { type: "string" },
    expectedSource: { type: "string", enum: ["correction", "inferred", "operator"] },
  },
  examples: [{ added: true, expectedLabel: "负面", expectedSource: "inferred" }],
} as const;
