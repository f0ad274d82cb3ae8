import type { FastifyReply } from "fastify";
import { errorBody, toAppError } from "./error-handler.js";

/** A server-sent-events response: `event: <name>` + `data: <json>` blocks. */
export interface EventStream {
  send(event: string, data: unknown): void;
  fail(error: unknown): void;
  end(): void;
}

/** Pair with {@link clientGoneSignal}, attached before any slow work, to stop generation when the client leaves. */
export function openEventStream(reply: FastifyReply): EventStream {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });
  raw.flushHeaders();
  const write = (event: string, data: unknown) => {
    if (!raw.writableEnded && !raw.destroyed) raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  return {
    send: write,
    fail(error) {
      write("error", errorBody(toAppError(error)));
      raw.end();
    },
    end() {
      raw.end();
    },
  };
}

/** For non-streaming routes: aborts when the client disconnects before the response is sent. */
export function clientGoneSignal(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.on("close", () => {
    if (!reply.raw.writableEnded) controller.abort();
  });
  return controller.signal;
}
