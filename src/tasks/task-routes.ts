import type { FastifyInstance, FastifyReply } from "fastify";
import type { ChatTurn } from "../engine/llm-backend.js";
import { AppError } from "../errors.js";
import { clientGoneSignal, openEventStream } from "../server/event-stream.js";
import type { apiSchemas } from "../server/schemas.js";
import { collectReply, streamReply } from "./stream-reply.js";
import { findTask, listTasks } from "./task-catalog.js";
import type { TaskDirectory } from "./task-directory.js";
import type { ReplyRequest, TaskService } from "./task-service.js";

export interface TaskRouteDeps {
  tasks: TaskService;
  directory: TaskDirectory;
  schemas: ReturnType<typeof apiSchemas>;
  /** Task names behind the fixed routes /api/sentiment and /api/chat. */
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
type RunTaskBody = Partial<SentimentBody & ChatBody>;

/** The task routes: the fixed sentiment and chat routes, and every task by name under /api/tasks. */
export async function registerTaskRoutes(app: FastifyInstance, deps: TaskRouteDeps): Promise<void> {
  const { tasks, schemas } = deps;

  app.get("/api/tasks", { schema: schemas.tasks }, async () => listTasks(deps.directory));

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
      return answer(reply, tasks, { task: deps.chatTask, messages, sessionId }, stream);
    },
  );

  app.post<{ Params: { task: string }; Body: RunTaskBody }>(
    "/api/tasks/:task",
    { schema: schemas.runTask, config: { modelBacked: true } },
    async (request, reply) => {
      const { task } = request.params;
      const { text, messages, sessionId, stream } = request.body;
      const info = await findTask(deps.directory, task);
      if (!info) throw new AppError("TASK_NOT_FOUND", `No task ${task}; GET /api/tasks lists them`);
      if (info.kind === "classifier") {
        if (messages !== undefined || stream !== undefined || text === undefined) {
          throw new AppError(
            "WRONG_TASK_KIND",
            `Task ${task} is a classifier: send {text, sessionId?}, not the chat shape`,
          );
        }
        return tasks.classify({ task, text, sessionId, signal: clientGoneSignal(reply) });
      }
      if (text !== undefined || messages === undefined) {
        throw new AppError(
          "WRONG_TASK_KIND",
          `Task ${task} is a generator: send {messages, sessionId?, stream?}, not {text}`,
        );
      }
      return answer(reply, tasks, { task, messages, sessionId }, stream ?? true);
    },
  );
}

/** A generator's answer: SSE `token` events and `done`, or the `done` part as JSON. */
async function answer(
  reply: FastifyReply,
  tasks: TaskService,
  request: Omit<ReplyRequest, "signal">,
  stream: boolean,
): Promise<unknown> {
  if (request.messages[request.messages.length - 1]?.role !== "user") {
    throw new AppError("VALIDATION_FAILED", "The last message must come from the user");
  }
  const parts = tasks.reply({ ...request, signal: clientGoneSignal(reply) });
  if (!stream) return collectReply(parts);
  // The first part is awaited before the stream opens, so routing and validation errors keep their status code.
  const first = await parts.next();
  await streamReply(openEventStream(reply), first, parts);
  return reply;
}
