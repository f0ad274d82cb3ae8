import type { FastifyInstance } from "fastify";
import { AppError } from "../errors.js";
import type { ChatTurn } from "../engine/llm-backend.js";
import type { ReplyStreamPart, TaskService } from "./task-service.js";
import { clientGoneSignal, openEventStream, type EventStream } from "../server/event-stream.js";
import type { apiSchemas } from "../server/schemas.js";

export interface TaskRouteDeps {
  tasks: TaskService;
  schemas: ReturnType<typeof apiSchemas>;
  /** Task names behind the fixed routes; later tasks run through the same service. */
  sentimentTask: string;
  chatTask: string;
}

interface SentimentBody {
  text: string;
  sessionId?: string;
}
interface ChatBody {
  messages: ChatTurn[];
  sessionId?: string;
  stream?: boolean;
}
interface AnalyzeBody {
  text: string;
  sessionId?: string;
  history?: ChatTurn[];
  stream?: boolean;
}

export async function registerTaskRoutes(app: FastifyInstance, deps: TaskRouteDeps): Promise<void> {
  const { tasks, schemas } = deps;

  app.post<{ Body: SentimentBody }>(
    "/api/sentiment",
    { schema: schemas.sentiment, config: { modelBacked: true } },
    async (request, reply) => {
      const { text, sessionId } = request.body;
      return tasks.classify({ task: deps.sentimentTask, text, sessionId, signal: clientGoneSignal(reply) });
    },
  );

  app.post<{ Body: ChatBody }>(
    "/api/chat",
    { schema: schemas.chat, config: { modelBacked: true } },
    async (request, reply) => {
      const { messages, sessionId, stream = true } = request.body;
      if (messages[messages.length - 1]?.role !== "user") {
        throw new AppError("VALIDATION_FAILED", "The last message must come from the user");
      }
      if (!stream) {
        const signal = clientGoneSignal(reply);
        for await (const part of tasks.reply({ task: deps.chatTask, messages, sessionId, signal })) {
          if (part.type === "done") {
            const { type: _type, ...done } = part;
            return done;
          }
        }
        return reply;
      }
      const parts = tasks.reply({
        task: deps.chatTask,
        messages,
        sessionId,
        signal: clientGoneSignal(reply),
      });
      // The first part is awaited before the stream opens, so routing and validation errors keep their status code.
      const first = await parts.next();
      await streamReply(openEventStream(reply), first, parts);
      return reply;
    },
  );

  app.post<{ Body: AnalyzeBody }>(
    "/api/analyze",
    { schema: schemas.analyze, config: { modelBacked: true } },
    async (request, reply) => {
      const { text, sessionId, history = [], stream = true } = request.body;
      const messages: ChatTurn[] = [...history, { role: "user", content: text }];
      if (!stream) {
        const signal = clientGoneSignal(reply);
        const sentiment = await tasks.classify({ task: deps.sentimentTask, text, sessionId, signal });
        for await (const part of tasks.reply({
          task: deps.chatTask,
          messages,
          sessionId,
          parentId: sentiment.interactionId,
          signal,
        })) {
          if (part.type === "done") {
            const { type: _type, ...done } = part;
            return { sentiment, reply: done };
          }
        }
        return reply;
      }
      const signal = clientGoneSignal(reply);
      const sentiment = await tasks.classify({ task: deps.sentimentTask, text, sessionId, signal });
      const parts = tasks.reply({
        task: deps.chatTask,
        messages,
        sessionId,
        parentId: sentiment.interactionId,
        signal,
      });
      const events = openEventStream(reply);
      events.send("sentiment", sentiment);
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

/** Forwards reply parts as `token` events and a final `done` event; a failure mid-stream becomes an `error` event. */
async function streamReply(
  events: EventStream,
  first: IteratorResult<ReplyStreamPart>,
  rest: AsyncGenerator<ReplyStreamPart>,
): Promise<void> {
  const forward = (part: ReplyStreamPart) => {
    if (part.type === "text") events.send("token", { text: part.text });
    else {
      const { type: _type, ...done } = part;
      events.send("done", done);
    }
  };
  try {
    if (!first.done) forward(first.value);
    for await (const part of rest) forward(part);
    events.end();
  } catch (error) {
    events.fail(error);
  }
}
