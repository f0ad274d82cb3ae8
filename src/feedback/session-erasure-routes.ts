import type { FastifyInstance } from "fastify";
import { actorOf } from "../server/session/operator-actor.js";
import type { InteractionStore } from "./store/interaction-store.js";

/** A stored session identifier: the salted hash (32 hex digits) the export and the reports show. */
const sessionHash = {
  type: "string",
  pattern: "^[0-9a-f]{32}$",
  description: "The session's salted hash, as the export shows it (sessionHash)",
  examples: ["3f9c2a7d5e1b4c8a9f0e6d2b7a1c5e3f"],
} as const;

const erasure = {
  type: "object",
  required: ["sessionHash", "interactions", "feedbackEvents", "actor", "erasedAt"],
  additionalProperties: false,
  properties: {
    sessionHash: { type: "string" },
    interactions: { type: "integer", description: "interactions of the session deleted" },
    feedbackEvents: {
      type: "integer",
      description: "feedback events on them, or sent by the session, deleted",
    },
    actor: { type: "string" },
    erasedAt: { type: "string", format: "date-time" },
  },
  examples: [
    {
      sessionHash: "3f9c2a7d5e1b4c8a9f0e6d2b7a1c5e3f",
      interactions: 12,
      feedbackEvents: 31,
      actor: "api:admin",
      erasedAt: "2026-12-06T03:00:00.000Z",
    },
  ],
} as const;

const security = [{ bearerAuth: [] }];
const errors = { 400: { $ref: "Error#" }, 401: { $ref: "Error#" } };

/**
 * The right to be forgotten: DELETE /api/admin/sessions/:sessionHash erases one session's interactions and every
 * feedback event on them or sent by it, and records that it did (who, when, how much) in the same transaction;
 * GET /api/admin/sessions/erasures lists those records. Aggregates (retained_totals, reports) hold no session.
 */
export async function registerSessionErasureRoutes(
  app: FastifyInstance,
  deps: {
    interactions: InteractionStore;
    now: () => number;
    /** What other features keep per session (personal memory) and must forget with it. */
    eraseElsewhere?: (sessionHash: string) => Promise<unknown>;
  },
): Promise<void> {
  app.delete<{ Params: { sessionHash: string }; Querystring: { actor?: string } }>(
    "/api/admin/sessions/:sessionHash",
    {
      schema: {
        tags: ["admin"],
        summary: "Erase one session's interactions and feedback, and record the erasure",
        description:
          "Idempotent: erasing a session with nothing stored records an erasure of 0 rows. Experiments and " +
          "reports computed before keep their counts; the session's rows are gone from exports and later analyses.",
        security,
        params: {
          type: "object",
          required: ["sessionHash"],
          additionalProperties: false,
          properties: { sessionHash },
        },
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            actor: {
              type: "string",
              minLength: 1,
              maxLength: 100,
              description:
                "recorded as api:<actor> (shared ADMIN_TOKEN only; named tokens and sessions record their operator)",
            },
          },
        },
        response: { 200: { type: "object", required: ["erasure"], properties: { erasure } }, ...errors },
      },
    },
    async (request) => {
      const done = await deps.interactions.eraseSession(request.params.sessionHash, {
        actor: actorOf(request, request.query.actor),
        at: deps.now(),
      });
      await deps.eraseElsewhere?.(request.params.sessionHash);
      return { erasure: { ...done, erasedAt: new Date(done.erasedAt).toISOString() } };
    },
  );

  app.get<{ Querystring: { limit?: number } }>(
    "/api/admin/sessions/erasures",
    {
      schema: {
        tags: ["admin"],
        summary: "Recorded session erasures, newest first",
        security,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { limit: { type: "integer", minimum: 1, maximum: 1000, default: 100 } },
        },
        response: {
          200: {
            type: "object",
            required: ["erasures"],
            properties: { erasures: { type: "array", items: erasure } },
          },
          ...errors,
        },
      },
    },
    async (request) => ({
      erasures: (await deps.interactions.listErasures(request.query.limit ?? 100)).map((done) => ({
        ...done,
        erasedAt: new Date(done.erasedAt).toISOString(),
      })),
    }),
  );
}
