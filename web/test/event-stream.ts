// Scripted server-sent event streams for the chat page's tests (POST /api/analyze).

export const encoder = new TextEncoder();

/** The SSE wire text of `events`, in order. */
export function sseBody(events: [string, unknown][]): string {
  return events.map(([name, data]) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`).join("");
}

/** Streams `body` in small byte chunks (cutting through characters), like a slow network. */
export function sseResponse(body: string, chunkBytes = 7): Response {
  const bytes = encoder.encode(body);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += chunkBytes) controller.enqueue(bytes.slice(i, i + chunkBytes));
      controller.close();
    },
  });
  return new Response(stream, { headers: { "content-type": "text/event-stream" } });
}
