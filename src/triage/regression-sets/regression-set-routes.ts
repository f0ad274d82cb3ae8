import type { FastifyInstance } from "fastify";
import { actorOf } from "../../server/session/operator-actor.js";
import type { RegressionSetService } from "./regression-set-service.js";
import type { RegressionSet, RegressionSetChange, RegressionSetItem } from "./regression-set-store.js";
import {
  actor,
  putItemResult,
  regressionSet,
  setDetail,
  setList,
  setName,
} from "./regression-set-schemas.js";

const security = [{ bearerAuth: [] }];
const errors = {
  400: { $ref: "Error#" },
  401: { $ref: "Error#" },
  404: { $ref: "Error#" },
  409: { $ref: "Error#" },
};
const taskName = { type: "string", pattern: "^[a-z][a-z0-9_-]{0,63}$" } as const;
const id = { type: "string", minLength: 1, maxLength: 100 } as const;
const idParams = {
  type: "object",
  required: ["id"],
  additionalProperties: false,
  properties: { id },
} as const;
const itemParams = {
  type: "object",
  required: ["id", "interactionId"],
  additionalProperties: false,
  properties: { id, interactionId: id },
} as const;
const actorQuery = { type: "object", additionalProperties: false, properties: { actor } } as const;

const iso = (ms: number) => new Date(ms).toISOString();
const setView = (set: RegressionSet) => ({
  ...set,
  createdAt: iso(set.createdAt),
  updatedAt: iso(set.updatedAt),
});
const itemView = (item: RegressionSetItem) => ({
  ...item,
  addedAt: iso(item.addedAt),
  createdAt: iso(item.createdAt),
});
const changeView = (change: RegressionSetChange) => ({ ...change, at: iso(change.at) });

/**
 * Named regression sets: list/create/rename/delete sets, add (PUT, idempotent) and remove interactions. Writes
 * record the operator (console:<name> or api:<name>) in the sets' audit log, shown in GET …/:id.
 */
export async function registerRegressionSetRoutes(
  app: FastifyInstance,
  deps: { regressionSets: RegressionSetService },
): Promise<void> {
  const service = deps.regressionSets;
  const tags = ["admin"];

  app.get<{ Querystring: { task?: string } }>(
    "/api/admin/regression-sets",
    {
      schema: {
        tags,
        summary: "Named regression sets, newest first",
        security,
        querystring: { type: "object", additionalProperties: false, properties: { task: taskName } },
        response: { 200: setList, ...errors },
      },
    },
    async (request) => ({ sets: (await service.list(request.query.task)).map(setView) }),
  );

  app.post<{ Body: { task: string; name: string; actor?: string } }>(
    "/api/admin/regression-sets",
    {
      schema: {
        tags,
        summary: "Create a named regression set for a classifier task (409 CONFLICT when the name is taken)",
        security,
        body: {
          type: "object",
          required: ["task", "name"],
          additionalProperties: false,
          properties: { task: taskName, name: setName, actor },
          examples: [{ task: "sentiment", name: "讽刺与转折" }],
        },
        response: {
          201: { type: "object", required: ["set"], properties: { set: regressionSet } },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const set = await service.create(request.body, actorOf(request, request.body.actor));
      return reply.status(201).send({ set: setView(set) });
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/admin/regression-sets/:id",
    {
      schema: {
        tags,
        summary: "One regression set with its items and its audit log",
        security,
        params: idParams,
        response: { 200: setDetail, ...errors },
      },
    },
    async (request) => {
      const detail = await service.detail(request.params.id);
      return {
        set: setView(detail.set),
        items: detail.items.map(itemView),
        changes: detail.changes.map(changeView),
      };
    },
  );

  app.patch<{ Params: { id: string }; Body: { name: string; actor?: string } }>(
    "/api/admin/regression-sets/:id",
    {
      schema: {
        tags,
        summary: "Rename a regression set",
        security,
        params: idParams,
        body: {
          type: "object",
          required: ["name"],
          additionalProperties: false,
          properties: { name: setName, actor },
          examples: [{ name: "转折句" }],
        },
        response: {
          200: { type: "object", required: ["set"], properties: { set: regressionSet } },
          ...errors,
        },
      },
    },
    async (request) => ({
      set: setView(
        await service.rename(request.params.id, request.body.name, actorOf(request, request.body.actor)),
      ),
    }),
  );

  app.delete<{ Params: { id: string }; Querystring: { actor?: string } }>(
    "/api/admin/regression-sets/:id",
    {
      schema: {
        tags,
        summary: "Delete a regression set and its items (the audit log keeps the lines)",
        security,
        params: idParams,
        querystring: actorQuery,
        response: { 200: { type: "object", properties: { deleted: { type: "boolean" } } }, ...errors },
      },
    },
    async (request) => {
      await service.delete(request.params.id, actorOf(request, request.query.actor));
      return { deleted: true };
    },
  );

  app.put<{
    Params: { id: string; interactionId: string };
    Body: { expectedLabel?: string; actor?: string };
  }>(
    "/api/admin/regression-sets/:id/items/:interactionId",
    {
      schema: {
        tags,
        summary: "Add an interaction to the set, or change the label it must get",
        description:
          "Without expectedLabel the user's correction (or the label inferred from 👎 on a two-label task) is taken; " +
          "an interaction without either needs one (400). The interaction must be of the set's task.",
        security,
        params: itemParams,
        body: {
          type: "object",
          additionalProperties: false,
          properties: { expectedLabel: { type: "string", minLength: 1, maxLength: 100 }, actor },
          examples: [{}, { expectedLabel: "负面" }],
        },
        response: { 200: putItemResult, ...errors },
      },
    },
    async (request) =>
      service.putItem(
        request.params.id,
        request.params.interactionId,
        request.body?.expectedLabel,
        actorOf(request, request.body?.actor),
      ),
  );

  app.delete<{ Params: { id: string; interactionId: string }; Querystring: { actor?: string } }>(
    "/api/admin/regression-sets/:id/items/:interactionId",
    {
      schema: {
        tags,
        summary: "Remove an interaction from the set",
        security,
        params: itemParams,
        querystring: actorQuery,
        response: { 200: { type: "object", properties: { removed: { type: "boolean" } } }, ...errors },
      },
    },
    async (request) => {
      await service.removeItem(
        request.params.id,
        request.params.interactionId,
        actorOf(request, request.query.actor),
      );
      return { removed: true };
    },
  );
}
