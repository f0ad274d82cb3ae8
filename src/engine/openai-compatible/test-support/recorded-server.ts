import fs from "node:fs";
import { isAppError, type AppError } from "../../../errors.js";
import type { GenerateStreamPart } from "../../llm-backend.js";
import { createOpenAiCompatibleBackend } from "../openai-compatible-backend.js";
import type { FetchFunction, OpenAiCompatibleBackendOptions } from "../remote-backend-options.js";
import { fixtureSystem, type FixtureFile } from "./fixture-scenarios.js";
import { replayFetch, type RecordedExchange } from "./recorded-fetch.js";

/** Recorded from a real llama-server on the tiny generated model by test/support/llama-server/record-fixtures.ts. */
export const fixtures = JSON.parse(
  fs.readFileSync(new URL("../__fixtures__/llama-server.json", import.meta.url), "utf8"),
) as FixtureFile;

export const sentiment = { prefix: fixtureSystem, input: "这家酒店很好", labels: ["正面", "负面"] };
export const chat = {
  messages: [...fixtureSystem, { role: "user" as const, content: "你好" }],
  maxTokens: 8,
  temperature: 0,
  seed: 3,
};

export function exchangesOf(scenario: string): RecordedExchange[] {
  return fixtures.scenarios[scenario]!.exchanges;
}

/** A backend on the replayed server; the llama-server scenarios were recorded with the model named "tiny". */
export function backendOn(fetch: FetchFunction, options: Partial<OpenAiCompatibleBackendOptions> = {}) {
  return createOpenAiCompatibleBackend({
    baseUrl: "http://llama.test:8080",
    model: "tiny",
    fetch,
    ...options,
  });
}

/** What a request is for: a streamed `reply`, a non-streamed label `score`, or another endpoint (its path). */
export function purposeOf(path: string, init: RequestInit): string {
  const body = typeof init.body === "string" ? (JSON.parse(init.body) as { stream?: boolean }) : {};
  if (body.stream) return "reply";
  return path === "/completion" || path === "/v1/chat/completions" ? "score" : path;
}

/** The recorded server, except where `override` answers (or fails) instead; `call` counts by purpose from 1. */
export function withFault(
  exchanges: RecordedExchange[],
  override: (purpose: string, init: RequestInit, call: number) => Promise<Response> | undefined,
): FetchFunction & { calls: string[] } {
  const replay = replayFetch(exchanges);
  const counts = new Map<string, number>();
  const calls: string[] = [];
  const faulty = (input: string, init: RequestInit) => {
    const purpose = purposeOf(new URL(input).pathname, init);
    const call = (counts.get(purpose) ?? 0) + 1;
    counts.set(purpose, call);
    calls.push(purpose);
    return override(purpose, init, call) ?? replay(input, init);
  };
  return Object.assign(faulty, { calls });
}

export const jsonResponse = (body: unknown, status = 200) =>
  Promise.resolve(
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } }),
  );

/** A server-sent-event response that sends `events`, then closes, errors, or stays open. */
export function eventStream(events: string[], ending: "close" | "reset" | "stall"): Promise<Response> {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const event of events) controller.enqueue(new TextEncoder().encode(`${event}\n\n`));
      if (ending === "close") controller.close();
      if (ending === "reset") controller.error(new TypeError("terminated"));
    },
  });
  return Promise.resolve(new Response(body, { headers: { "content-type": "text/event-stream" } }));
}

/** The first event of the recorded reply stream of a scenario. */
export function firstReplyEvent(scenario: string): string {
  const reply = exchangesOf(scenario).find((e) => (e.request.body as { stream?: boolean } | null)?.stream);
  if (!reply) throw new Error(`${scenario} recorded no reply stream`);
  return reply.response.body.split("\n\n")[0]!;
}

export async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isAppError(error)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

export async function drain(stream: AsyncIterable<GenerateStreamPart>, parts: GenerateStreamPart[] = []) {
  for await (const part of stream) parts.push(part);
  return parts;
}
