import type { FastifyInstance } from "fastify";
import { AppError } from "../../errors.js";
import { selfContainedPagePolicy } from "../../server/security-headers.js";
import type { AnalysisService } from "./analysis-service.js";
import { reportIdPattern } from "./report-file-store.js";
import type { ReportFormat } from "./render-stored-report.js";

const contentTypes: Record<ReportFormat, string> = {
  json: "application/json; charset=utf-8",
  md: "text/markdown; charset=utf-8",
  html: "text/html; charset=utf-8",
};

const security = [{ bearerAuth: [] }];

/** The analysis job over HTTP: run it now, list the suggestion reports, read one in any format. */
export async function registerAnalysisRoutes(
  app: FastifyInstance,
  deps: { analysis: AnalysisService },
): Promise<void> {
  app.post<{ Querystring: { replay?: "true" | "false" } }>(
    "/api/admin/analyze",
    {
      schema: {
        tags: ["admin"],
        summary: "Run the analysis job now and return its report (409 CONFLICT while a run is in progress)",
        security,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            replay: {
              type: "string",
              enum: ["true", "false"],
              default: "true",
              description:
                "false: don't score candidates through the model (nothing is recommended or saved)",
            },
          },
        },
      },
    },
    async (request) => {
      // Not tied to the request: a client that gives up waiting must not abort a run that is saving drafts.
      return deps.analysis.run({ trigger: "api", replay: request.query.replay !== "false" });
    },
  );

  const statusSchema = {
    type: "object",
    properties: {
      running: {
        anyOf: [
          { type: "null" },
          {
            type: "object",
            properties: {
              trigger: { type: "string" },
              startedAt: { type: "string", format: "date-time" },
              progress: { anyOf: [{ type: "null" }, { type: "object", additionalProperties: true }] },
            },
          },
        ],
      },
      last: {
        anyOf: [
          { type: "null" },
          {
            type: "object",
            properties: {
              trigger: { type: "string" },
              finishedAt: { type: "string", format: "date-time" },
              outcome: { type: "string", enum: ["completed", "skipped", "failed"] },
              reportId: { type: ["string", "null"] },
              error: { type: ["string", "null"] },
            },
          },
        ],
      },
    },
    examples: [
      {
        running: {
          trigger: "api",
          startedAt: "2026-12-06T03:00:00.000Z",
          progress: { phase: "replay", done: 12, total: 40, task: "sentiment" },
        },
        last: {
          trigger: "schedule",
          finishedAt: "2026-12-06T03:00:05.000Z",
          outcome: "completed",
          reportId: "20261206-030000-r7",
          error: null,
        },
      },
    ],
  } as const;
  const statusView = () => {
    const { running, last } = deps.analysis.status();
    return {
      running: running && { ...running, startedAt: new Date(running.startedAt).toISOString() },
      last: last && { ...last, finishedAt: new Date(last.finishedAt).toISOString() },
    };
  };

  app.get(
    "/api/admin/analysis/status",
    {
      schema: {
        tags: ["admin"],
        summary:
          "The analysis run going on in this process with its progress (stream, rewrite, replay), and the last",
        security,
        response: { 200: statusSchema },
      },
    },
    async () => statusView(),
  );

  app.post(
    "/api/admin/analysis/runs",
    {
      schema: {
        tags: ["admin"],
        summary:
          "Start the analysis now in the background (202); follow it with GET /api/admin/analysis/status",
        description:
          "409 CONFLICT while a run is already going on. The run replays candidates through the model.",
        security,
        response: { 202: statusSchema, 409: { $ref: "Error#" } },
      },
    },
    async (request, reply) => {
      if (deps.analysis.running) {
        throw new AppError("CONFLICT", "An analysis run is already in progress; follow it in the status");
      }
      // The outcome (or failure) is kept for the status; the error is logged here, never left unhandled.
      deps.analysis.run({ trigger: "api" }).catch((error: unknown) => {
        request.log.warn({ err: error }, "analysis run failed");
      });
      return reply.status(202).send(statusView());
    },
  );

  app.get<{ Querystring: { limit?: string } }>(
    "/api/admin/reports",
    {
      schema: {
        tags: ["admin"],
        summary: "Suggestion reports (Prompt 优化建议报告), newest first, with each task's decision",
        security,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            limit: { type: "string", pattern: "^[1-9][0-9]{0,2}$", default: "50", description: "1..999" },
          },
        },
      },
    },
    async (request) => {
      const reports = await deps.analysis.listReports(Number(request.query.limit ?? "50"));
      return {
        reports: reports.map((report) => ({
          ...report,
          startedAt: new Date(report.startedAt).toISOString(),
          finishedAt: report.finishedAt === null ? null : new Date(report.finishedAt).toISOString(),
          links: Object.fromEntries(
            (["json", "md", "html"] as const).map((format) => [
              format,
              `/api/admin/reports/${report.id}?format=${format}`,
            ]),
          ),
        })),
      };
    },
  );

  app.get<{ Params: { id: string }; Querystring: { format?: ReportFormat } }>(
    "/api/admin/reports/:id",
    {
      schema: {
        tags: ["admin"],
        summary: "One suggestion report as JSON, Markdown or a self-contained HTML page",
        security,
        params: {
          type: "object",
          properties: { id: { type: "string", pattern: reportIdPattern.source } },
          required: ["id"],
        },
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { format: { type: "string", enum: ["json", "md", "html"], default: "json" } },
        },
      },
    },
    async (request, reply) => {
      const format = request.query.format ?? "json";
      const text = await deps.analysis.readReport(request.params.id, format);
      if (format === "html") void reply.header("content-security-policy", selfContainedPagePolicy(text));
      return reply.type(contentTypes[format]).send(text);
    },
  );
}
