import type { FastifyInstance } from "fastify";
import type { ChatTurn } from "../../engine/llm-backend.js";
import { clientGoneSignal, openEventStream } from "../../server/event-stream.js";
import type { apiSchemas } from "../../server/schemas.js";
import { collectReply, streamReply } from "../stream-reply.js";
import type { TaskVersion } from "../task-directory.js";
import type { ReplyStreamPart, TaskService } from "../task-service.js";
import { classifyTurn, publicTurn, type TurnClassifications, type TurnSettings } from "./classify-turn.js";
import { politeRefusal } from "./moderation-policy.js";

export interface TurnRouteDeps {
  tasks: TaskService;
  versionById: (id: string) => Promise<TaskVersion>;
  schemas: ReturnType<typeof apiSchemas>;
  settings: TurnSettings;
  sentimentTask: string;
  chatTask: string;
}

interface AnalyzeBody {
  text: string;
  sessionId?: string;
  history?: ChatTurn[];
  stream?: boolean;
}

/** The sentiment classification in the shape /api/analyze always sent (its `sentiment` event and field). */
function sentimentOf(turn: TurnClassifications, task: string) {
  const found = turn.classifications.find((c) => c.task === task);
  if (!found) return undefined;
  const { interactionId, feedbackToken, label, confidence, promptVersion, latencyMs } = found;
  return { interactionId, feedbackToken, label, confidence, promptVersion, latencyMs };
}

/**
 * POST /api/analyze, the write-up's all-in-one turn: the configured classifiers run on the input in one shared
 * batch, the moderation policy decides, then the chat task replies (unless the policy refuses). Events, in order:
 * `sentiment` (when sentiment is configured, as before), `classifications`, then `token`… `done`, or `refusal`.
 */
export async function registerTurnRoutes(app: FastifyInstance, deps: TurnRouteDeps): Promise<void> {
  app.post<{ Body: AnalyzeBody }>(
    "/api/analyze",
    { schema: deps.schemas.analyze, config: { modelBacked: true } },
    async (request, reply) => {
      const { text, sessionId, history = [], stream = true } = request.body;
      const signal = clientGoneSignal(reply);
      // Classified before the stream opens, so a failure keeps its status code.
      const turn = await classifyTurn(deps, deps.settings, { text, sessionId, signal });
      const sentiment = sentimentOf(turn, deps.sentimentTask);
      const refused = turn.moderation?.action === "refuse";
      const refusal = { message: politeRefusal };
      const parts = refused
        ? null
        : deps.tasks.reply({
            task: deps.chatTask,
            messages: [...history, { role: "user", content: text }],
            sessionId,
            parentId: turn.classifications[0]?.interactionId,
            signal,
          });
      if (!stream) {
        return {
          ...(sentiment && { sentiment }),
          ...publicTurn(turn),
          reply: parts ? await collectReply(parts) : null,
          ...(refused && { refusal }),
        };
      }
      const events = openEventStream(reply);
      if (sentiment) events.send("sentiment", sentiment);
      events.send("classifications", publicTurn(turn));
      if (!parts) {
        events.send("refusal", { ...refusal, moderation: turn.moderation });
        events.end();
        return reply;
      }
      let first: IteratorResult<ReplyStreamPart>;
      try {
        first = await parts.next();
      } catch (error) {
        events.fail(error);
        return reply;
      }
      await streamReply(events, first, parts);
      return reply;
    },
  );
}
