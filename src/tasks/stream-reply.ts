import type { EventStream } from "../server/event-stream.js";
import type { ReplyStreamPart } from "./task-service.js";

/** Forwards reply parts as `token` events and a final `done` event; a failure mid-stream becomes an `error` event. */
export async function streamReply(
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

/** The `done` part of a reply without streaming it (for `stream: false`). */
export async function collectReply(
  parts: AsyncGenerator<ReplyStreamPart>,
): Promise<Omit<Extract<ReplyStreamPart, { type: "done" }>, "type">> {
  for await (const part of parts) {
    if (part.type === "done") {
      const { type: _type, ...done } = part;
      return done;
    }
  }
  throw new Error("The reply ended without a done part");
}
