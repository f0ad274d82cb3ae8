import type { FastifyInstance } from "fastify";
import { actorOf } from "../server/session/operator-actor.js";
import type { CreateVersionInput, RegistryService } from "./registry-service.js";
import type { RolloutService } from "../rollout/service/rollout-service.js";

/** Dependencies of {@link registerPromptAdminRoutes}. */
export interface PromptAdminRouteDeps {
  registry: RegistryService;
  rollout: RolloutService;
}

const taskName = { type: "string", pattern: "^[a-z][a-z0-9_-]{0,63}$" } as const;
const versionName = { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$" } as const;
/** `<task>@<version>`, e.g. `sentiment@v2`. */
const versionId = {
  type: "string",
  pattern: "^[a-z][a-z0-9_-]{0,63}@[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
  description: "<task>@<version>, e.g. sentiment@v2",
} as const;
const actor = {
  type: "string",
  minLength: 1,
  maxLength: 100,
  description:
    "Who acts, with the shared ADMIN_TOKEN (recorded as api:<actor>); a named token or console session records its own name",
} as const;
const errors = { 400: { $ref: "Error#" }, 404: { $ref: "Error#" }, 409: { $ref: "Error#" } };
const security = [{ bearerAuth: [] }];

const labelActions = {
  "start-canary": "Start a canary of this version against its task's active version",
  promote: "Make this version active (ends its experiment as promoted if it is the canary)",
  rollback: "Withdraw this canary, or restore the version pending retirement in its place",
  retire: "Retire a version that is pending retirement or unused",
} as const;

interface ActionBody {
  reason: string;
  actor?: string;
  force?: boolean;
}

type CreateBody = CreateVersionInput & { actor?: string };

/** The registry's admin API: list, show, diff, create, import/export, and the label moves. */
export async function registerPromptAdminRoutes(app: FastifyInstance, deps: PromptAdminRouteDeps) {
  const { registry, rollout } = deps;

  app.get<{ Querystring: { task?: string } }>(
    "/api/admin/prompts",
    {
      schema: {
        tags: ["prompts"],
        summary:
          "List prompt versions with their status (active, canary, pending_retirement, retired, draft)",
        security,
        querystring: { type: "object", additionalProperties: false, properties: { task: taskName } },
      },
    },
    async (request) => ({ versions: await registry.list(request.query) }),
  );

  app.get<{ Querystring: { task?: string } }>(
    "/api/admin/prompts/export",
    {
      schema: {
        tags: ["prompts"],
        summary: "Export the registry as YAML (prompts: <version>: <task>: …)",
        security,
        querystring: { type: "object", additionalProperties: false, properties: { task: taskName } },
      },
    },
    async (request, reply) =>
      reply.type("application/yaml; charset=utf-8").send(await registry.exportYaml(request.query)),
  );

  app.post<{ Body: { yaml: string; actor?: string; asNewVersion?: boolean; fileName?: string } }>(
    "/api/admin/prompts/import",
    {
      schema: {
        tags: ["prompts"],
        summary: "Import a registry YAML document: adds versions; restores labels only for tasks without any",
        description:
          "A version id taken by other content fails with PROMPT_VERSION_CONFLICT (details.conflicts, each with a " +
          "short diff) unless asNewVersion saves the file's versions as the tasks' next versions. Errors name the " +
          "path (prompts.v1.sentiment) and line of every problem.",
        security,
        body: {
          type: "object",
          required: ["yaml"],
          additionalProperties: false,
          properties: {
            yaml: {
              type: "string",
              minLength: 1,
              maxLength: 1_000_000,
              examples: [
                "prompts:\n  v2:\n    sentiment: \"注意:如果句子包含矛盾情绪(如'失望但能接受'),优先判定为'负面'\"\n",
              ],
            },
            actor,
            asNewVersion: {
              type: "boolean",
              description: "save the file's versions as new versions (v2, v3 …)",
            },
            fileName: {
              type: "string",
              maxLength: 200,
              description: "the file's name, used in messages and changelogs",
            },
          },
        },
        response: errors,
      },
    },
    async (request) =>
      registry.importYaml(request.body.yaml, {
        actor: actorOf(request, request.body.actor),
        ...(request.body.asNewVersion !== undefined && { asNewVersion: request.body.asNewVersion }),
        ...(request.body.fileName !== undefined && { fileName: request.body.fileName }),
      }),
  );

  app.get<{ Querystring: { from: string; to: string } }>(
    "/api/admin/prompts/diff",
    {
      schema: {
        tags: ["prompts"],
        summary: "Diff two versions: a unified line diff of the system prompt and every other changed field",
        security,
        querystring: {
          type: "object",
          required: ["from", "to"],
          additionalProperties: false,
          properties: { from: versionId, to: versionId },
        },
        response: errors,
      },
    },
    async (request) => registry.diff(request.query.from, request.query.to),
  );

  app.get<{ Params: { id: string } }>(
    "/api/admin/prompts/:id",
    {
      schema: {
        tags: ["prompts"],
        summary: "One version: definition, status, changelog and its label moves",
        security,
        params: { type: "object", required: ["id"], properties: { id: versionId } },
        response: errors,
      },
    },
    async (request) => registry.show(request.params.id),
  );

  app.post<{ Body: CreateBody }>(
    "/api/admin/prompts",
    {
      schema: {
        tags: ["prompts"],
        summary:
          "Create an immutable version; fields left out are taken from the parent (default: the active one)",
        security,
        body: {
          type: "object",
          required: ["task", "version"],
          additionalProperties: false,
          properties: {
            task: taskName,
            version: versionName,
            parentId: { anyOf: [versionId, { type: "null" }] },
            kind: { type: "string", enum: ["classifier", "generator"] },
            system: { type: "string", minLength: 1, maxLength: 100_000 },
            labels: { type: "array", minItems: 2, maxItems: 100, items: { type: "string", minLength: 1 } },
            params: { type: "object" },
            fewShot: {
              type: "array",
              maxItems: 1000,
              items: {
                type: "object",
                required: ["input", "label"],
                additionalProperties: false,
                properties: {
                  input: { type: "string", minLength: 1 },
                  label: { type: "string", minLength: 1 },
                },
              },
            },
            retrieval: { type: "object" },
            description: { type: "string", maxLength: 2000 },
            changelog: { type: "object", description: "What changed and why, with evidence" },
            actor,
          },
        },
        response: errors,
      },
    },
    async (request, reply) => {
      const { actor: name, ...input } = request.body;
      const result = await registry.create({ ...input, source: "human" }, { actor: actorOf(request, name) });
      return reply.status(result.created ? 201 : 200).send(result);
    },
  );

  for (const [action, summary] of Object.entries(labelActions)) {
    app.post<{ Params: { id: string }; Body: ActionBody }>(
      `/api/admin/prompts/:id/${action}`,
      {
        schema: {
          tags: ["prompts"],
          summary,
          security,
          params: { type: "object", required: ["id"], properties: { id: versionId } },
          body: {
            type: "object",
            required: ["reason"],
            additionalProperties: false,
            properties: {
              reason: {
                type: "string",
                minLength: 1,
                maxLength: 1000,
                description: "Recorded with the move",
              },
              actor,
              ...(action === "promote" && {
                force: {
                  type: "boolean",
                  description:
                    "Promote without evidence (no experiment, or too few labelled answers): otherwise 409 " +
                    "EVIDENCE_INSUFFICIENT. Recorded in the label-move history.",
                },
              }),
            },
            ...(action === "promote" && {
              examples: [
                { reason: "canary passed its significance stage" },
                {
                  reason: "hotfix for a prompt injection, no time for a canary",
                  force: true,
                  actor: "alice",
                },
              ],
            }),
          },
          response: errors,
        },
      },
      async (request) => {
        const id = request.params.id;
        const context = {
          actor: actorOf(request, request.body.actor),
          reason: request.body.reason,
          force: request.body.force === true,
        };
        switch (action as keyof typeof labelActions) {
          case "start-canary":
            return rollout.startCanary(id, { ...context, manual: true });
          case "promote":
            return rollout.promote(id, context);
          case "rollback":
            return rollout.rollback(id, context);
          case "retire":
            return rollout.retire(id, context);
        }
      },
    );
  }
}
