import type { FastifyInstance } from "fastify";
import { clientGoneSignal, openEventStream } from "../server/event-stream.js";
import { playgroundRequestJsonSchema, type PlaygroundRequest } from "./playground-request.js";
import { runPlayground, type PlaygroundDeps } from "./playground-service.js";

export interface PlaygroundRouteDeps extends PlaygroundDeps {
  maxInputChars: number;
  maxReplyTokens: number;
}

const resultExample = {
  task: "sentiment",
  kind: "classifier",
  baselineId: "sentiment@v1",
  candidateId: "sentiment@v2",
  total: 2,
  rows: [
    {
      index: 0,
      input: "物流很快,但是味道一般,有点失望",
      expected: "负面",
      baseline: { label: "正面", confidence: 0.61 },
      candidate: { label: "负面", confidence: 0.72 },
      differ: true,
    },
    {
      index: 1,
      input: "服务态度好,下次还来",
      expected: null,
      baseline: { label: "正面", confidence: 0.93 },
      candidate: { label: "正面", confidence: 0.9 },
      differ: false,
    },
  ],
  summary: {
    total: 2,
    compared: 2,
    agreed: 1,
    agreement: 0.5,
    failed: 0,
    accuracy: {
      labelled: 1,
      baseline: { correct: 0, answered: 1, rate: 0 },
      candidate: { correct: 1, answered: 1, rate: 1 },
    },
  },
};

/** The console's playground: a version beside another (default the active one) on the operator's inputs. */
export async function registerPlaygroundRoutes(app: FastifyInstance, deps: PlaygroundRouteDeps) {
  app.post<{ Body: PlaygroundRequest }>(
    "/api/admin/playground/runs",
    {
      schema: {
        tags: ["prompts"],
        summary: "Try a version beside the active one (or baselineId) on up to 50 inputs, side by side",
        description:
          "Each input runs on both versions through the served model, pinned, one call at a time, recorded " +
          "nowhere. Classifiers answer label + confidence, generators a reply. With stream: true the answer is " +
          "text/event-stream: `start`, a `row` per input (with the summary so far), `summary`, or `error` " +
          "({error:{code,message}}). The run shares the engine's admission queue with live requests: 503 " +
          "ENGINE_BUSY (or an `error` event) when it is full.",
        security: [{ bearerAuth: [] }],
        body: playgroundRequestJsonSchema(deps),
        response: {
          200: { type: "object", additionalProperties: true, examples: [resultExample] },
          400: { $ref: "Error#" },
          404: { $ref: "Error#" },
          503: { $ref: "Error#" },
        },
      },
    },
    async (request, reply) => {
      if (request.body.stream !== true) {
        return runPlayground(deps, request.body, { signal: clientGoneSignal(reply) });
      }
      const controller = new AbortController();
      const events = openEventStream(reply);
      reply.raw.on("close", () => controller.abort());
      try {
        const result = await runPlayground(deps, request.body, {
          signal: controller.signal,
          onStart: (start) => events.send("start", start),
          onRow: (row, summary) => events.send("row", { row, summary }),
        });
        events.send("summary", result.summary);
        events.end();
      } catch (error) {
        events.fail(error);
      }
      return reply;
    },
  );
}
