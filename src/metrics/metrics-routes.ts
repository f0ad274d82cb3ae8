import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { AppError } from "../errors.js";
import type { ServiceMetrics } from "./service-metrics.js";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * `GET /metrics` in Prometheus' text format, behind `Authorization: Bearer <METRICS_TOKEN>` when one is set; and an
 * onResponse hook that counts and times every request by its route pattern (never its URL: no ids in labels).
 */
export async function registerMetricsRoutes(
  app: FastifyInstance,
  deps: { metrics: ServiceMetrics; token: string | undefined },
): Promise<void> {
  const { metrics } = deps;
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    metrics.httpRequests.inc({ route, method: request.method, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ route, method: request.method }, reply.elapsedTime / 1000);
  });
  const expected = deps.token === undefined ? null : digest(deps.token);
  app.get(
    "/metrics",
    {
      schema: {
        tags: ["status"],
        summary: "Prometheus metrics (docs/operations.md#metrics); Bearer METRICS_TOKEN when it is set",
        response: {
          200: {
            type: "string",
            examples: [
              '# TYPE promptloop_interactions_total counter\npromptloop_interactions_total{task="sentiment",version="sentiment@v1",arm="none",status="ok"} 12\n',
            ],
          },
        },
      },
    },
    async (request, reply) => {
      if (expected) {
        const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "");
        if (!match || !timingSafeEqual(digest(match[1]!), expected)) {
          throw new AppError("UNAUTHORIZED", "GET /metrics needs Authorization: Bearer <METRICS_TOKEN>");
        }
      }
      const text = await metrics.registry.metrics();
      return reply.type(metrics.registry.contentType).send(text);
    },
  );
}
