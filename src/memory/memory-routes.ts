import type { FastifyInstance } from "fastify";
import { sessionIdPattern } from "../feedback/session-units.js";
import type { MemoryService } from "./memory-service.js";

const sessionQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    sessionId: {
      type: "string",
      minLength: 1,
      maxLength: 100,
      pattern: sessionIdPattern,
      description: "The session the memory belongs to (the same sessionId the chat sends). Without it: 404.",
      examples: ["b4f1c0de-2f7e-4a59-9d1e-0a3c2f6e7b10"],
    },
  },
} as const;

const memoryView = {
  type: "object",
  required: ["enabled", "chosen", "entries"],
  additionalProperties: false,
  properties: {
    enabled: { type: "boolean", description: "whether memory applies to this session now" },
    chosen: { type: "boolean", description: "false while the deployment default (MEMORY) applies" },
    entries: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "key", "text", "createdAt", "expiresAt", "lastUsedAt", "uses"],
        additionalProperties: false,
        properties: {
          id: { type: "string" },
          key: {
            type: "string",
            description: "what it is about: name, reply_length, reply_language, diet, …",
          },
          text: { type: "string", description: "the entry as the chat model reads it" },
          createdAt: { type: "integer", description: "epoch ms" },
          expiresAt: { type: "integer", description: "epoch ms (MEMORY_TTL_DAYS after it was stated)" },
          lastUsedAt: { type: ["integer", "null"] },
          uses: { type: "integer", description: "how many chat prompts it went into" },
        },
      },
    },
  },
  examples: [
    {
      enabled: true,
      chosen: true,
      entries: [
        {
          id: "0f8e5c1a-9b7d-4c3e-a2f1-6d5b4a3c2e1f",
          key: "name",
          text: "用户希望被称为“小王”",
          createdAt: 1_796_000_000_000,
          expiresAt: 1_811_552_000_000,
          lastUsedAt: 1_796_000_060_000,
          uses: 3,
        },
      ],
    },
  ],
} as const;

const errors = { 400: { $ref: "Error#" }, 404: { $ref: "Error#" } };
const deleted = {
  type: "object",
  required: ["deleted"],
  additionalProperties: false,
  properties: { deleted: { type: "integer" } },
  examples: [{ deleted: 4 }],
} as const;

interface SessionQuery {
  Querystring: { sessionId?: string };
}

/**
 * The user's own memory: list, delete one, forget all, switch on or off. Every route needs the owning sessionId
 * and reaches only that session's entries; without it the answer is 404 MEMORY_NOT_FOUND.
 */
export async function registerMemoryRoutes(
  app: FastifyInstance,
  deps: { memory: MemoryService },
): Promise<void> {
  app.get<SessionQuery>(
    "/api/memory",
    {
      schema: {
        tags: ["memory"],
        summary: "What the chat remembers about this session (我记得…)",
        querystring: sessionQuery,
        response: { 200: memoryView, ...errors },
      },
    },
    async (request) => deps.memory.view(request.query.sessionId),
  );

  app.delete<SessionQuery & { Params: { id: string } }>(
    "/api/memory/:id",
    {
      schema: {
        tags: ["memory"],
        summary: "Delete one memory entry of this session (the row is deleted, not hidden)",
        params: {
          type: "object",
          required: ["id"],
          properties: { id: { type: "string", minLength: 1, maxLength: 100 } },
        },
        querystring: sessionQuery,
        response: { 204: { type: "null", description: "deleted" }, ...errors },
      },
    },
    async (request, reply) => {
      await deps.memory.delete(request.query.sessionId, request.params.id);
      return reply.status(204).send();
    },
  );

  app.delete<SessionQuery>(
    "/api/memory",
    {
      schema: {
        tags: ["memory"],
        summary: "Forget everything remembered about this session (the switch keeps its position)",
        querystring: sessionQuery,
        response: { 200: deleted, ...errors },
      },
    },
    async (request) => deps.memory.forget(request.query.sessionId),
  );

  app.put<{ Body: { sessionId?: string; enabled: boolean } }>(
    "/api/memory/switch",
    {
      schema: {
        tags: ["memory"],
        summary:
          "Turn memory on or off for this session (off: nothing is learned or used; entries stay until deleted)",
        body: {
          type: "object",
          required: ["enabled"],
          additionalProperties: false,
          properties: { sessionId: sessionQuery.properties.sessionId, enabled: { type: "boolean" } },
          examples: [{ sessionId: "b4f1c0de-2f7e-4a59-9d1e-0a3c2f6e7b10", enabled: false }],
        },
        response: { 200: memoryView, ...errors },
      },
    },
    async (request) => deps.memory.setEnabled(request.body.sessionId, request.body.enabled),
  );
}

/** Admin: purge one owner's memory by its salted hash (as exports and reports show sessions). */
export async function registerMemoryAdminRoutes(
  app: FastifyInstance,
  deps: { memory: MemoryService },
): Promise<void> {
  app.delete<{ Params: { ownerHash: string } }>(
    "/api/admin/memory/:ownerHash",
    {
      schema: {
        tags: ["admin"],
        summary: "Purge every memory entry of one session hash",
        security: [{ bearerAuth: [] }],
        params: {
          type: "object",
          required: ["ownerHash"],
          properties: {
            ownerHash: {
              type: "string",
              pattern: "^[0-9a-f]{32}$",
              description: "The session's salted hash, as the export shows it (sessionHash)",
              examples: ["3f9c2a7d5e1b4c8a9f0e6d2b7a1c5e3f"],
            },
          },
        },
        response: { 200: deleted, 400: { $ref: "Error#" }, 401: { $ref: "Error#" } },
      },
    },
    async (request) => deps.memory.purge(request.params.ownerHash),
  );
}
