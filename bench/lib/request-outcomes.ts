import { roundTo, summarize } from "./percentiles.js";
import { readEvents } from "./serving-clients.js";

/**
 * How a model request ended, as its client saw it: served (a classification's 200, a stream that reached `done`),
 * refused at once (503 ENGINE_BUSY, the queue is full), ended by its deadline (504 ENGINE_TIMEOUT, a stream's
 * `error` event with that code, or its `done` saying "cancelled" when the client did not cancel), or failed
 * (anything else: another status or error code, a stream cut short, no connection).
 */
export type OutcomeKind = "served" | "refused" | "deadline" | "failed";

export const outcomeKinds: readonly OutcomeKind[] = ["served", "refused", "deadline", "failed"];

export interface RequestOutcome {
  kind: OutcomeKind;
  /** HTTP status; 0 when the connection failed. */
  status: number;
  /** The error code of a refusal, a deadline or a failure, when the server gave one. */
  code?: string | undefined;
  /** A refusal's Retry-After header. */
  retryAfter?: string | null;
  /** Request sent → first `token` event (streams only; NaN when none came). */
  firstTokenMs: number;
  /** Request sent → the answer or the stream read to its end. */
  endMs: number;
}

/** What a client read: the status, an error code (body or `error` event), whether a stream reached `done`. */
export interface SeenEnd {
  status: number;
  code?: string | undefined;
  done?: boolean;
  finishReason?: string | undefined;
}

/** Pure: the outcome kind of what a client saw (see OutcomeKind). */
export function outcomeKind(seen: SeenEnd): OutcomeKind {
  if (seen.status === 503 && seen.code === "ENGINE_BUSY") return "refused";
  if (seen.code === "ENGINE_TIMEOUT" || (seen.done === true && seen.finishReason === "cancelled")) {
    return "deadline";
  }
  if (seen.status === 200 && seen.code === undefined && seen.done !== false) return "served";
  return "failed";
}

const post = (url: string, body: unknown) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

async function errorCodeOf(response: Response): Promise<string | undefined> {
  const body = (await response.json().catch(() => ({}))) as { error?: { code?: string } };
  return body.error?.code;
}

/** One classification (POST /api/sentiment) and how it ended. */
export async function classifyOutcome(base: string, text: string): Promise<RequestOutcome> {
  const sent = performance.now();
  try {
    const response = await post(`${base}/api/sentiment`, { text });
    const code = response.ok ? (await response.arrayBuffer(), undefined) : await errorCodeOf(response);
    const endMs = performance.now() - sent;
    const seen = { status: response.status, code };
    return {
      kind: outcomeKind(seen),
      ...seen,
      retryAfter: response.headers.get("retry-after"),
      firstTokenMs: Number.NaN,
      endMs,
    };
  } catch {
    return { kind: "failed", status: 0, firstTokenMs: Number.NaN, endMs: performance.now() - sent };
  }
}

/** One streamed chat (POST /api/chat, SSE), read to its end, and how it ended. */
export async function streamChatOutcome(base: string, content: string): Promise<RequestOutcome> {
  const sent = performance.now();
  let firstTokenMs = Number.NaN;
  const seen: SeenEnd = { status: 0 };
  try {
    const response = await post(`${base}/api/chat`, { messages: [{ role: "user", content }], stream: true });
    seen.status = response.status;
    if (response.status !== 200) {
      seen.code = await errorCodeOf(response);
      const endMs = performance.now() - sent;
      return {
        kind: outcomeKind(seen),
        ...seen,
        retryAfter: response.headers.get("retry-after"),
        firstTokenMs,
        endMs,
      };
    }
    seen.done = false;
    await readEvents(response, (event, data) => {
      if (event === "token" && Number.isNaN(firstTokenMs)) firstTokenMs = performance.now() - sent;
      else if (event === "done") {
        seen.done = true;
        seen.finishReason = (JSON.parse(data) as { finishReason?: string }).finishReason;
      } else if (event === "error") {
        seen.code = (JSON.parse(data) as { error?: { code?: string } }).error?.code ?? "UNKNOWN";
      }
    });
  } catch {
    // The connection or the stream broke: seen as it stands (a failure unless a deadline code came first).
    seen.code ??= "CONNECTION_LOST";
  }
  return { kind: outcomeKind(seen), ...seen, firstTokenMs, endMs: performance.now() - sent };
}

const percentiles = (values: number[]) => {
  if (values.length === 0) return null;
  const s = summarize(values);
  return { p50: roundTo(s.p50), p95: roundTo(s.p95), max: roundTo(s.max) };
};

/** Per outcome kind: how many, and their latencies (time to the end; streams also time to the first token). */
export function summarizeOutcomes(outcomes: readonly RequestOutcome[]) {
  return Object.fromEntries(
    outcomeKinds.map((kind) => {
      const of = outcomes.filter((o) => o.kind === kind);
      const firstTokens = of.map((o) => o.firstTokenMs).filter(Number.isFinite);
      return [
        kind,
        {
          count: of.length,
          endMs: percentiles(of.map((o) => o.endMs)),
          ...(firstTokens.length > 0 && { firstTokenMs: percentiles(firstTokens) }),
          codes: [...new Set(of.flatMap((o) => (o.code ? [o.code] : [])))],
          ...(kind === "refused" && { retryAfter: [...new Set(of.map((o) => o.retryAfter ?? null))] }),
          ...(kind === "failed" && { statuses: [...new Set(of.map((o) => o.status))] }),
        },
      ];
    }),
  ) as Record<OutcomeKind, OutcomeSummary>;
}

export interface OutcomeSummary {
  count: number;
  endMs: { p50: number; p95: number; max: number } | null;
  firstTokenMs?: { p50: number; p95: number; max: number };
  codes: string[];
  retryAfter?: (string | null)[];
  statuses?: number[];
}
