import type { FastifyInstance } from "fastify";
import type { PatternKind } from "../analysis/core/mined-pattern.js";
import type { PatternRef } from "../analysis/core/pattern-matcher.js";
import { reportIdPattern, type ReportFileStore } from "../analysis/job/report-file-store.js";
import { correctionReasons } from "../feedback/feedback-types.js";
import { AppError } from "../errors.js";
import type { MisclassificationFilter } from "./misclassification-filter.js";
import { interactionView, misclassificationPage } from "./triage-schemas.js";
import { misclassificationPaging, type TriageService } from "./triage-service.js";

const security = [{ bearerAuth: [] }];
const errors = { 400: { $ref: "Error#" }, 401: { $ref: "Error#" }, 404: { $ref: "Error#" } };
const taskName = { type: "string", pattern: "^[a-z][a-z0-9_-]{0,63}$" } as const;
const label = { type: "string", minLength: 1, maxLength: 100 } as const;

interface ListQuery {
  task?: string;
  version?: string;
  report?: string;
  pattern?: string;
  predicted?: string;
  expected?: string;
  reason?: string;
  judgedBy?: "correction" | "thumbs_down";
  q?: string;
  since?: string;
  offset?: string;
  limit?: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Triage (issue 16 item 4): GET /api/admin/misclassifications lists interactions judged wrong, filtered and paged
 * on the server; GET /api/admin/interactions/:id shows one with its version, verdict and every feedback event.
 */
export async function registerTriageRoutes(
  app: FastifyInstance,
  deps: { triage: TriageService; reports: Pick<ReportFileStore, "load"> },
): Promise<void> {
  app.get<{ Querystring: ListQuery }>(
    "/api/admin/misclassifications",
    {
      schema: {
        tags: ["admin"],
        summary:
          "Interactions judged wrong (a user's correction, or 👎 with the label inferred), newest first",
        description:
          "Judged as the analysis does (the latest correction beats thumbs). `judgement.expectedLabelSource` tells " +
          "a user's correction from a label inferred from 👎. `pattern` (an id such as `ngram:还行`) must be one " +
          "of `report`'s mined patterns. Paged by offset with a total.",
        security,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            task: taskName,
            version: {
              type: "string",
              pattern: "^[a-z][a-z0-9_-]{0,63}@[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
              description: "a prompt version id, e.g. sentiment@v2",
            },
            report: { type: "string", pattern: reportIdPattern.source, description: "a stored report's id" },
            pattern: {
              type: "string",
              pattern: "^(word|ngram|structure):.{1,100}$",
              description: "a pattern id of the report, e.g. ngram:还行 (needs report)",
              examples: ["ngram:还行"],
            },
            predicted: { ...label, description: "the label the version answered" },
            expected: { ...label, description: "the right label (corrected or inferred)" },
            reason: {
              type: "string",
              enum: [...correctionReasons],
              description: "a reason tag of the correction",
            },
            judgedBy: { type: "string", enum: ["correction", "thumbs_down"] },
            q: { type: "string", minLength: 1, maxLength: 200, description: "text the input contains" },
            since: { type: "string", format: "date-time", description: "only interactions from then on" },
            offset: {
              type: "string",
              pattern: "^(0|[1-9][0-9]{0,4})$",
              default: "0",
              description: `0..${misclassificationPaging.maxOffset}`,
            },
            limit: {
              type: "string",
              pattern: "^[1-9][0-9]{0,2}$",
              default: String(misclassificationPaging.defaultLimit),
              description: `1..${misclassificationPaging.maxLimit}`,
            },
          },
        },
        response: { 200: misclassificationPage, ...errors },
      },
    },
    async (request) => {
      const query = request.query;
      const offset = Number(query.offset ?? "0");
      const limit = Number(query.limit ?? misclassificationPaging.defaultLimit);
      if (offset > misclassificationPaging.maxOffset || limit > misclassificationPaging.maxLimit) {
        throw new AppError(
          "VALIDATION_FAILED",
          `offset must be at most ${misclassificationPaging.maxOffset} and limit at most ${misclassificationPaging.maxLimit}`,
          {
            details: {
              maxOffset: misclassificationPaging.maxOffset,
              maxLimit: misclassificationPaging.maxLimit,
            },
          },
        );
      }
      const filter: MisclassificationFilter = {
        ...(query.task !== undefined && { task: query.task }),
        ...(query.version !== undefined && { version: query.version }),
        ...(query.predicted !== undefined && { predicted: query.predicted }),
        ...(query.expected !== undefined && { expected: query.expected }),
        ...(query.reason !== undefined && { reason: query.reason }),
        ...(query.judgedBy !== undefined && { judgedBy: query.judgedBy }),
        ...(query.q !== undefined && { search: query.q }),
        ...(query.since !== undefined && { since: Date.parse(query.since) }),
        ...(query.pattern !== undefined && { pattern: await reportPattern(deps.reports, query) }),
      };
      if (query.report !== undefined && query.pattern === undefined) {
        throw new AppError("VALIDATION_FAILED", "report is only a filter together with pattern");
      }
      const page = await deps.triage.listMisclassifications(filter, { offset, limit });
      return { ...page, items: page.items.map((item) => ({ ...item, createdAt: iso(item.createdAt) })) };
    },
  );

  app.get<{ Params: { id: string } }>(
    "/api/admin/interactions/:id",
    {
      schema: {
        tags: ["admin"],
        summary: "One interaction: input, version, output, verdict and every feedback event in arrival order",
        description: "Text is shown as stored: personal data (e-mail, phone, ID numbers…) is already masked.",
        security,
        params: {
          type: "object",
          required: ["id"],
          properties: { id: { type: "string", minLength: 1, maxLength: 100 } },
        },
        response: { 200: interactionView, ...errors },
      },
    },
    async (request) => {
      const view = await deps.triage.interaction(request.params.id);
      const { interaction, version } = view;
      return {
        ...view,
        interaction: {
          ...interaction,
          createdAt: iso(interaction.createdAt),
          completedAt: interaction.completedAt === null ? null : iso(interaction.completedAt),
        },
        version: version && {
          id: version.id,
          version: version.definition.version,
          kind: version.definition.kind,
          ...(version.definition.labels && { labels: version.definition.labels }),
          systemPrompt: version.definition.systemPrompt,
        },
        events: view.events.map((event) => ({
          id: event.id,
          type: event.type,
          signal: event.signal,
          payload: event.payload,
          createdAt: iso(event.createdAt),
        })),
      };
    },
  );
}

/** The pattern named by `pattern`, which must be one of `report`'s mined patterns. */
async function reportPattern(
  reports: Pick<ReportFileStore, "load">,
  query: { report?: string; pattern?: string },
): Promise<PatternRef> {
  if (query.report === undefined) {
    throw new AppError("VALIDATION_FAILED", "pattern needs report: the id of the report that mined it");
  }
  const report = await reports.load(query.report);
  const found = report.tasks
    .flatMap((task) => task.mining?.patterns ?? [])
    .find((pattern) => pattern.id === query.pattern);
  if (found === undefined) {
    throw new AppError("VALIDATION_FAILED", `Report ${query.report} has no pattern ${query.pattern}`, {
      details: { report: query.report, pattern: query.pattern },
    });
  }
  return { kind: found.kind as PatternKind, text: found.text };
}
