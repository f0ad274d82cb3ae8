import type { FastifyInstance } from "fastify";
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
