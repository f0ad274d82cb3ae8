import type { FastifyInstance } from "fastify";
import type { FeedbackService, FeedbackSubmission } from "./feedback-service.js";
import type { apiSchemas } from "../server/schemas.js";
import { depthLimitedJsonParser } from "../server/json-body-parser.js";

/** A feedback body is one small event; 64 KB holds the longest reply edit (MAX_INPUT_CHARS of 4-byte characters). */
const feedbackBodyLimit = 64 * 1024;

export async function registerFeedbackRoutes(
  app: FastifyInstance,
  deps: { feedback: FeedbackService; schemas: ReturnType<typeof apiSchemas> },
): Promise<void> {
  // An encapsulated scope: the text/plain parser exists on this route only. Elsewhere text/plain is refused (415),
  // so a foreign page can't reach the model routes with a preflight-free "simple" request.
  await app.register(async (scope) => {
    // navigator.sendBeacon posts text/plain without a preflight; its body is our JSON. The Origin check
    // (createSameOriginGuard) refuses such posts from other sites.
    scope.addContentTypeParser("text/plain", { parseAs: "string" }, depthLimitedJsonParser(scope));
    scope.post<{ Body: FeedbackSubmission }>(
      "/api/feedback",
      { schema: deps.schemas.feedback, bodyLimit: feedbackBodyLimit },
      async (request, reply) => {
        const receipt = await deps.feedback.submit(request.body, {
          address: request.ip,
          beacon: request.headers["content-type"]?.startsWith("text/plain") === true,
        });
        return reply.status(202).send(receipt);
      },
    );
  });
}
