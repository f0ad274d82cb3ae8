import type { FastifyInstance } from "fastify";
import type { FeedbackService, FeedbackSubmission } from "./feedback-service.js";
import type { apiSchemas } from "../server/schemas.js";

export async function registerFeedbackRoutes(
  app: FastifyInstance,
  deps: { feedback: FeedbackService; schemas: ReturnType<typeof apiSchemas> },
): Promise<void> {
  // navigator.sendBeacon posts text/plain without a preflight; its body is our JSON.
  app.addContentTypeParser("text/plain", { parseAs: "string" }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  app.post<{ Body: FeedbackSubmission }>(
    "/api/feedback",
    { schema: deps.schemas.feedback },
    async (request, reply) => {
      const feedbackId = await deps.feedback.submit(request.body);
      return reply.status(202).send({ feedbackId });
    },
  );
}
