import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FeedbackQueue, type FeedbackOutcome } from "./feedback-queue.js";

interface RecordedCall {
  url: string;
  body: unknown;
  at: number;
  keepalive: boolean | undefined;
}

type Scripted = number | "network-error" | { status: number; headers: Record<string, string> };

/** A fetch that answers from a script (one status per call) and records what it was sent. */
function scriptedFetch(script: Scripted[]) {
  const calls: RecordedCall[] = [];
  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    calls.push({
      url: String(input),
      body: JSON.parse(String(init?.body)),
      at: Date.now(),
      keepalive: init?.keepalive,
    });
    const next = script.shift() ?? 202;
    if (next === "network-error") throw new TypeError("Failed to fetch");
    const { status, headers } = typeof next === "number" ? { status: next, headers: {} } : next;
    const body =
      status < 400 ? { feedbackId: "f1" } : { error: { code: `E${status}`, message: `status ${status}` } };
    return new Response(JSON.stringify(body), { status, headers });
  };
  return { fetchFn, calls };
}

function track(promise: Promise<FeedbackOutcome>) {
  const state: { outcome: FeedbackOutcome | null } = { outcome: null };
  void promise.then((outcome) => (state.outcome = outcome));
  return state;
}

/** jsdom's Blob has no text(); FileReader works there and in browsers. */
function readBlob(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error("unreadable blob"));
    reader.readAsText(blob);
  });
}

/** Event ids event-0001, event-0002, … in submission order. */
function sequentialIds() {
  let next = 0;
  return () => `event-${String(++next).padStart(4, "0")}`;
}

const rating = { interactionId: "i-1", type: "rating", score: 4 } as const;

describe("FeedbackQueue", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("adds the feedbackToken of the answer the event is about, and keeps a token the event names", async () => {
    const { fetchFn, calls } = scriptedFetch([202, 202, 202]);
    const queue = new FeedbackQueue({ newEventId: sequentialIds(), sessionId: "s", fetch: fetchFn });
    queue.rememberToken("i-1", "v1.token-of-i-1");
    await queue.submit(rating);
    await queue.submit({ interactionId: "i-2", type: "copy" });
    await queue.submit({
      interactionId: "i-2",
      type: "copy",
      feedbackToken: "v1.given",
      eventId: "client-id-1",
    });
    expect(calls.map((c) => c.body)).toEqual([
      { ...rating, feedbackToken: "v1.token-of-i-1", eventId: "event-0001", sessionId: "s" },
      { interactionId: "i-2", type: "copy", eventId: "event-0002", sessionId: "s" },
      {
        interactionId: "i-2",
        type: "copy",
        feedbackToken: "v1.given",
        eventId: "client-id-1",
        sessionId: "s",
      },
    ]);
  });

  it("posts the event with the session id", async () => {
    const { fetchFn, calls } = scriptedFetch([202]);
    const queue = new FeedbackQueue({ newEventId: sequentialIds(), sessionId: "s-1", fetch: fetchFn });
    await expect(queue.submit(rating)).resolves.toEqual({ kind: "recorded" });
    expect(calls).toEqual([
      {
        url: "/api/feedback",
        body: { interactionId: "i-1", type: "rating", score: 4, eventId: "event-0001", sessionId: "s-1" },
        at: 0,
        keepalive: true,
      },
    ]);
  });

  it("retries a 503 with exponential backoff, then records it", async () => {
    const { fetchFn, calls } = scriptedFetch([503, 503, 202]);
    const queue = new FeedbackQueue({
      newEventId: sequentialIds(),
      sessionId: "s",
      fetch: fetchFn,
      random: () => 1,
      baseDelayMs: 500,
    });
    const state = track(queue.submit(rating));

    await vi.advanceTimersByTimeAsync(499);
    expect(calls).toHaveLength(1);
    expect(state.outcome).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(999);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls.map((c) => c.at)).toEqual([0, 500, 1500]);
    expect(state.outcome).toEqual({ kind: "recorded" });
    expect(queue.size).toBe(0);
  });

  it("does not retry a 400 and reports the server's error", async () => {
    const { fetchFn, calls } = scriptedFetch([400, 202]);
    const queue = new FeedbackQueue({ newEventId: sequentialIds(), sessionId: "s", fetch: fetchFn });
    const state = track(queue.submit(rating));
    await vi.advanceTimersByTimeAsync(120_000);
    expect(calls).toHaveLength(1);
    expect(state.outcome).toEqual({ kind: "rejected", status: 400, code: "E400", message: "status 400" });
  });

  it.each<[string, Scripted]>([
    ["a network error", "network-error"],
    ["a 500", 500],
    ["a 429", 429],
    ["a 408", 408],
  ])("retries after %s", async (_name, first) => {
    const { fetchFn, calls } = scriptedFetch([first, 202]);
    const queue = new FeedbackQueue({
      newEventId: sequentialIds(),
      sessionId: "s",
      fetch: fetchFn,
      random: () => 0,
    });
    const state = track(queue.submit(rating));
    await vi.advanceTimersByTimeAsync(250);
    expect(calls).toHaveLength(2);
    expect(state.outcome).toEqual({ kind: "recorded" });
  });

  it.each([401, 403, 404, 413])("gives up at once on %i", async (status) => {
    const { fetchFn, calls } = scriptedFetch([status]);
    const queue = new FeedbackQueue({ newEventId: sequentialIds(), sessionId: "s", fetch: fetchFn });
    const state = track(queue.submit(rating));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(1);
    expect(state.outcome).toMatchObject({ kind: "rejected", status });
  });

  it("waits as long as Retry-After asks", async () => {
    const { fetchFn, calls } = scriptedFetch([{ status: 429, headers: { "retry-after": "3" } }, 202]);
    const queue = new FeedbackQueue({
      newEventId: sequentialIds(),
      sessionId: "s",
      fetch: fetchFn,
      random: () => 1,
    });
    void queue.submit(rating);
    await vi.advanceTimersByTimeAsync(2999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
  });

  it("fails after maxAttempts and caps the delay", async () => {
    const { fetchFn, calls } = scriptedFetch(Array<Scripted>(10).fill(503));
    const queue = new FeedbackQueue({
      newEventId: sequentialIds(),
      sessionId: "s",
      fetch: fetchFn,
      random: () => 1,
      maxAttempts: 4,
      baseDelayMs: 1000,
      maxDelayMs: 2500,
    });
    const state = track(queue.submit(rating));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls.map((c) => c.at)).toEqual([0, 1000, 3000, 5500]);
    expect(state.outcome).toEqual({ kind: "failed", attempts: 4 });
  });

  it("keeps events in order: the second waits for the first's retries", async () => {
    const { fetchFn, calls } = scriptedFetch([503, 202, 202]);
    const queue = new FeedbackQueue({
      newEventId: sequentialIds(),
      sessionId: "s",
      fetch: fetchFn,
      random: () => 1,
    });
    void queue.submit({ interactionId: "a", type: "label_confirm", correct: false });
    void queue.submit({ interactionId: "a", type: "label_correct", label: "负面" });
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls.map((c) => c.body)).toEqual([
      // A retry sends the same eventId: the server stores the event once even if the first attempt got through.
      { interactionId: "a", type: "label_confirm", correct: false, eventId: "event-0001", sessionId: "s" },
      { interactionId: "a", type: "label_confirm", correct: false, eventId: "event-0001", sessionId: "s" },
      { interactionId: "a", type: "label_correct", label: "负面", eventId: "event-0002", sessionId: "s" },
    ]);
  });

  it("hands waiting events to sendBeacon as text/plain, leaving the one on the wire alone", async () => {
    let release: (r: Response) => void = () => undefined;
    const fetched: string[] = [];
    const fetchFn = (_url: RequestInfo | URL, init?: RequestInit) => {
      fetched.push(String(init?.body));
      return new Promise<Response>((resolve) => (release = resolve));
    };
    const beacons: { url: string; blob: Blob }[] = [];
    const queue = new FeedbackQueue({
      newEventId: sequentialIds(),
      sessionId: "s",
      fetch: fetchFn,
      sendBeacon: (url, blob) => beacons.push({ url, blob }) > 0,
    });
    const first = track(queue.submit({ interactionId: "r", type: "dwell", ms: 900 }));
    const second = track(queue.submit({ interactionId: "r", type: "exit" }));
    await vi.advanceTimersByTimeAsync(0);
    queue.flushViaBeacon();
    await vi.advanceTimersByTimeAsync(0);

    expect(fetched).toHaveLength(1);
    const reading = Promise.all(
      beacons.map(async ({ url, blob }) => ({ url, type: blob.type, text: await readBlob(blob) })),
    );
    // jsdom's FileReader completes on a (faked) timer.
    await vi.advanceTimersByTimeAsync(10);
    const sent = await reading;
    expect(sent).toEqual([
      {
        url: "/api/feedback",
        type: "text/plain",
        text: '{"interactionId":"r","type":"exit","eventId":"event-0002","sessionId":"s"}',
      },
    ]);
    expect(second.outcome).toEqual({ kind: "handed_off" });
    expect(first.outcome).toBeNull();
    release(new Response("{}", { status: 202 }));
    await vi.advanceTimersByTimeAsync(0);
    expect(first.outcome).toEqual({ kind: "recorded" });
    expect(fetched).toHaveLength(1);
  });

  it("beacons an event at once, bypassing the queue", async () => {
    const { fetchFn, calls } = scriptedFetch([]);
    const beacons: Blob[] = [];
    const queue = new FeedbackQueue({
      newEventId: sequentialIds(),
      sessionId: "s",
      fetch: fetchFn,
      sendBeacon: (_url, blob) => beacons.push(blob) > 0,
    });
    queue.beacon({ interactionId: "r", type: "exit" });
    const reading = readBlob(beacons[0]!);
    await vi.advanceTimersByTimeAsync(10);
    expect(JSON.parse(await reading)).toEqual({
      interactionId: "r",
      type: "exit",
      eventId: "event-0001",
      sessionId: "s",
    });
    expect(calls).toEqual([]);
    expect(queue.size).toBe(0);
  });

  it("falls back to a keepalive fetch when the beacon is refused", async () => {
    const { fetchFn, calls } = scriptedFetch([503, 202]);
    const queue = new FeedbackQueue({
      newEventId: sequentialIds(),
      sessionId: "s",
      fetch: fetchFn,
      sendBeacon: () => false,
      random: () => 1,
    });
    const state = track(queue.submit(rating));
    await vi.advanceTimersByTimeAsync(10);
    // The first attempt failed; the event is now waiting for its retry and can be handed off.
    queue.flushViaBeacon();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toHaveLength(2);
    expect(calls[1]).toMatchObject({ keepalive: true, at: 10 });
    expect(state.outcome).toEqual({ kind: "handed_off" });
  });
});
