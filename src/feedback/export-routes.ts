import { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import type { InteractionStore, InteractionWithFeedback } from "./store/interaction-store.js";

/** One export line: an interaction with its feedback, identifiers already hashed at write time. */
export function exportRecord({ interaction: i, events }: InteractionWithFeedback) {
  return {
    id: i.id,
    task: i.task,
    promptVersion: i.promptVersionId,
    input: i.input,
    output: i.output,
    label: i.label,
    confidence: i.confidence,
    latencyMs: i.latencyMs,
    status: i.status,
    errorCode: i.errorCode,
    parentId: i.parentId,
    sessionHash: i.sessionHash,
    experimentId: i.experimentId,
    arm: i.arm,
    createdAt: new Date(i.createdAt).toISOString(),
    feedback: events.map((e) => ({
      id: e.id,
      type: e.type,
      payload: e.payload,
      createdAt: new Date(e.createdAt).toISOString(),
    })),
  };
}

export async function* exportLines(interactions: InteractionStore, query: { task?: string; since?: number }) {
  for await (const item of interactions.streamWithFeedback(query)) {
    yield `${JSON.stringify(exportRecord(item))}\n`;
  }
}

interface ExportQuery {
  format?: "jsonl";
  task?: string;
  since?: string;
}

export async function registerExportRoutes(
  app: FastifyInstance,
  deps: { interactions: InteractionStore },
): Promise<void> {
  app.get<{ Querystring: ExportQuery }>(
    "/api/admin/export",
    {
      schema: {
        tags: ["admin"],
        summary: "Stream interactions with their feedback as JSON lines",
        security: [{ bearerAuth: [] }],
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            format: { type: "string", enum: ["jsonl"], default: "jsonl" },
            task: { type: "string", minLength: 1, maxLength: 64 },
            since: { type: "string", format: "date-time" },
          },
        },
      },
    },
    async (request, reply) => {
      const { task, since } = request.query;
      const query = {
        ...(task !== undefined && { task }),
        ...(since !== undefined && { since: Date.parse(since) }),
      };
      const stamp = new Date().toISOString().replace(/[:.]/g, "-");
      return reply
        .header("content-type", "application/x-ndjson; charset=utf-8")
        .header("content-disposition", `attachment; filename="promptloop-export-${stamp}.jsonl"`)
        .send(Readable.from(exportLines(deps.interactions, query)));
    },
  );
}
