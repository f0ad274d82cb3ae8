import type { FastifyInstance } from "fastify";
import type { DashboardService } from "./dashboard-service.js";

interface DashboardQuerystring {
  bucket?: "day" | "hour";
  days?: string;
}

export async function registerDashboardRoutes(app: FastifyInstance, deps: { dashboard: DashboardService }) {
  app.get<{ Querystring: DashboardQuerystring }>(
    "/api/admin/dashboard",
    {
      schema: {
        tags: ["admin"],
        summary: "Per task × prompt version metrics over time, recent misclassifications and the versions",
        security: [{ bearerAuth: [] }],
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            bucket: { type: "string", enum: ["day", "hour"], default: "day" },
            days: { type: "string", pattern: "^[1-9][0-9]{0,2}$", default: "30", description: "1..999" },
          },
        },
      },
    },
    async (request) => {
      const { bucket = "day", days = "30" } = request.query;
      return deps.dashboard.build({ bucket, days: Number(days) });
    },
  );
}
