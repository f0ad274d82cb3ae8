import { describe, expect, it } from "vitest";
import { streamAnalyze, type AnalyzeEvent } from "./analyze-stream.js";
import { ApiError } from "./api-error.js";

const request = { text: "你好", sessionId: "s", history: [] };

function respond(body: string | null, init: ResponseInit = {}): typeof fetch {
  return async () => new Response(body, init);
}

async function collect(fetchFn: typeof fetch): Promise<AnalyzeEvent[]> {
  const events: AnalyzeEvent[] = [];
  for await (const event of streamAnalyze(request, { fetch: fetchFn })) events.push(event);
  return events;
}

async function failure(fetchFn: typeof fetch): Promise<ApiError> {
  try {
    await collect(fetchFn);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("expected an ApiError");
}

describe("streamAnalyze", () => {
  it("yields sentiment, tokens and done, ignoring unknown events", async () => {
    const body =
      'event: sentiment\ndata: {"interactionId":"a","label":"正面","confidence":0.9,"promptVersion":"sentiment@v1","latencyMs":3}\n\n' +
      "event: progress\ndata: {}\n\n" +
      'event: token\ndata: {"text":"好"}\n\n' +
      'event: done\ndata: {"interactionId":"b","promptVersion":"chat@v1","reply":"好","latencyMs":9}\n\n';
    expect(await collect(respond(body))).toEqual([
      {
        type: "sentiment",
        sentiment: {
          interactionId: "a",
          label: "正面",
          confidence: 0.9,
          promptVersion: "sentiment@v1",
          latencyMs: 3,
        },
      },
      { type: "token", text: "好" },
      { type: "done", reply: { interactionId: "b", promptVersion: "chat@v1", reply: "好", latencyMs: 9 } },
    ]);
  });

  it("yields the classifications with the moderation verdict, and ends the turn at a refusal", async () => {
    const classification = {
      task: "moderation",
      interactionId: "m",
      feedbackToken: "tok-m",
      label: "冒犯",
      confidence: 0.8,
      promptVersion: "moderation@v1",
      latencyMs: 4,
      distribution: { 正常: 0.2, 冒犯: 0.8 },
    };
    const verdict = {
      task: "moderation",
      policy: "block",
      interactionId: "m",
      label: "冒犯",
      flagged: true,
      action: "refuse",
      disputeLabel: "正常",
    };
    const body =
      `event: classifications\ndata: ${JSON.stringify({ classifications: [classification], moderation: verdict })}\n\n` +
      `event: refusal\ndata: ${JSON.stringify({ message: "抱歉", moderation: verdict })}\n\n` +
      'event: token\ndata: {"text":"never read"}\n\n';
    expect(await collect(respond(body))).toEqual([
      { type: "classifications", classifications: [classification], moderation: verdict },
      { type: "refusal", message: "抱歉" },
    ]);
  });

  it("reads a turn without a moderation task as a null verdict", async () => {
    const body =
      'event: classifications\ndata: {"classifications":[],"moderation":null}\n\n' +
      'event: done\ndata: {"interactionId":"b","reply":""}\n\n';
    expect((await collect(respond(body)))[0]).toEqual({
      type: "classifications",
      classifications: [],
      moderation: null,
    });
  });

  it.each<[string, typeof fetch, string, number]>([
    [
      "a documented error body",
      respond('{"error":{"code":"INPUT_TOO_LONG","message":"too long"}}', { status: 413 }),
      "INPUT_TOO_LONG",
      413,
    ],
    ["a body that is not JSON", respond("<html>Bad gateway</html>", { status: 502 }), "HTTP_502", 502],
    [
      "a stream that ends before done",
      respond('event: token\ndata: {"text":"a"}\n\n'),
      "STREAM_INTERRUPTED",
      200,
    ],
    [
      "an error event",
      respond('event: error\ndata: {"error":{"code":"ENGINE_FAILED","message":"boom"}}\n\n'),
      "ENGINE_FAILED",
      200,
    ],
    ["unreadable event data", respond("event: done\ndata: {oops\n\n"), "BAD_RESPONSE", 200],
    [
      "a classification without its task",
      respond(
        'event: classifications\ndata: {"classifications":[{"interactionId":"a","label":"x","confidence":1}]}\n\n',
      ),
      "BAD_RESPONSE",
      200,
    ],
    [
      "a moderation verdict with an unknown action",
      respond(
        'event: classifications\ndata: {"classifications":[],"moderation":{"interactionId":"m","action":"ban"}}\n\n',
      ),
      "BAD_RESPONSE",
      200,
    ],
    [
      "no connection",
      async () => {
        throw new TypeError("Failed to fetch");
      },
      "NETWORK",
      0,
    ],
  ])("reports %s as an ApiError", async (_name, fetchFn, code, status) => {
    const error = await failure(fetchFn);
    expect([error.code, error.status]).toEqual([code, status]);
  });

  it("posts the request as JSON with stream: true", async () => {
    let sent: unknown;
    const fetchFn: typeof fetch = async (_url, init) => {
      sent = JSON.parse(String(init?.body));
      return new Response('event: done\ndata: {"interactionId":"b","reply":""}\n\n');
    };
    await collect(fetchFn);
    expect(sent).toEqual({ ...request, stream: true });
  });
});
