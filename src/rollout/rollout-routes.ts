import type { FastifyInstance } from "fastify";
import { actorOf } from "../server/session/operator-actor.js";
import type { RolloutService } from "./service/rollout-service.js";

const security = [{ bearerAuth: [] }];
const decisions = {
  type: "string",
  pattern: "^[0-9]{1,4}$",
  description: "How many of the latest decisions to include per experiment (default 50)",
} as const;

/** The rollout's admin API: experiments with their decision history, and an on-demand evaluation. */
export async function registerRolloutRoutes(app: FastifyInstance, deps: { rollout: RolloutService }) {
  const { rollout } = deps;

  app.get<{ Querystring: { task?: string; decisions?: string } }>(
    "/api/admin/rollouts",
    {
      schema: {
        tags: ["rollouts"],
        summary: "Experiments (newest first) with their latest decisions, reasons and statistics",
        security,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { task: { type: "string", pattern: "^[a-z][a-z0-9_-]{0,63}$" }, decisions },
        },
      },
    },
    async (request) => ({
      experiments: await rollout.listExperiments({
        ...(request.query.task !== undefined && { task: request.query.task }),
        ...(request.query.decisions !== undefined && { decisionLimit: Number(request.query.decisions) }),
      }),
    }),
  );

  app.get<{ Params: { id: string }; Querystring: { decisions?: string } }>(
    "/api/admin/rollouts/:id",
    {
      schema: {
        tags: ["rollouts"],
        summary: "One experiment with its decisions",
        security,
        params: { type: "object", required: ["id"], properties: { id: { type: "string", maxLength: 200 } } },
        querystring: { type: "object", additionalProperties: false, properties: { decisions } },
        response: { 404: { $ref: "Error#" } },
      },
    },
    async (request) =>
      rollout.getExperiment(request.params.id, {
        ...(request.query.decisions !== undefined && { decisionLimit: Number(request.query.decisions) }),
      }),
  );

  app.post<{ Querystring: { actor?: string } }>(
    "/api/admin/rollouts/evaluate",
    {
      schema: {
        tags: ["rollouts"],
        summary: "Evaluate every running experiment now, apply the decisions, retire expired versions",
        description:
          "No body. Each decision is persisted with its reason and statistics, as on the schedule.",
        security,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            actor: { type: "string", minLength: 1, maxLength: 100, description: "recorded as api:<actor>" },
          },
        },
      },
    },
    async (request) => rollout.evaluateNow({ actor: actorOf(request, request.query.actor) }),
  );
}
