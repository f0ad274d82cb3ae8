import { describe, expect, it } from "vitest";
import { AppError } from "../../errors.js";
import { FakeLlmBackend } from "../fake-llm-backend.js";
import { AdmissionGate } from "./admission-gate.js";
import { admitRequests } from "./admitted-backend.js";

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "ok";
  } catch (error) {
    return error instanceof AppError ? error.code : String(error);
  }
}

describe("AdmissionGate", () => {
  it("runs up to the slots, queues up to maxQueued per class, and refuses the rest at once with a Retry-After", async () => {
    const gate = new AdmissionGate({ slots: 2, maxQueued: 1, queueTimeoutMs: 60_000 });
    const first = await gate.acquire("classify");
    const second = await gate.acquire("classify");
    const queued = gate.acquire("classify");
    const started = performance.now();
    const refused = await gate.acquire("classify").catch((error: AppError) => error);
    expect(performance.now() - started).toBeLessThan(50);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe("ENGINE_BUSY");
    expect((refused as AppError).status).toBe(503);
    expect((refused as AppError).details?.retryAfterMs).toBeGreaterThanOrEqual(1000);
    expect(gate.stats()).toMatchObject({
      running: { classify: 2 },
      queued: { classify: 1 },
      refused: { queueFull: 1, waitTimeout: 0 },
    });
    first.release();
    const third = await queued;
    expect(gate.stats().running.classify).toBe(2);
    second.release();
    third.release();
    expect(gate.stats().running.classify).toBe(0);
  });

  it("keeps the last free sequence for classifications: replies queue while a classification runs at once", async () => {
    const gate = new AdmissionGate({ slots: 2, maxQueued: 4, queueTimeoutMs: 60_000 });
    const reply = await gate.acquire("generate");
    const secondReply = gate.acquire("generate");
    await settle();
    expect(gate.stats().queued.generate).toBe(1);
    const classification = await gate.acquire("classify");
    expect(classification.waitedMs).toBeLessThan(50);
    classification.release();
    // The freed sequence is still the classifications' reserve: the second reply waits for the first.
    await settle();
    expect(gate.stats().queued.generate).toBe(1);
    reply.release();
    (await secondReply).release();
  });

  it("serves waiting classifications before waiting replies, and background work last", async () => {
    const gate = new AdmissionGate({ slots: 1, maxQueued: 4, queueTimeoutMs: 60_000 });
    const holder = await gate.acquire("generate");
    const order: string[] = [];
    const waits = (["background", "generate", "classify"] as const).map((cls) =>
      gate.acquire(cls).then((ticket) => {
        order.push(cls);
        ticket.release();
      }),
    );
    holder.release();
    await Promise.all(waits);
    expect(order).toEqual(["classify", "generate", "background"]);
  });

  it("refuses a request that waited longer than queueTimeoutMs, and frees its place", async () => {
    const gate = new AdmissionGate({ slots: 1, maxQueued: 1, queueTimeoutMs: 30 });
    const holder = await gate.acquire("generate");
    expect(await codeOf(gate.acquire("generate"))).toBe("ENGINE_BUSY");
    expect(gate.stats()).toMatchObject({ queued: { generate: 0 }, refused: { waitTimeout: 1 } });
    holder.release();
  });

  it("gives a waiting request's place back when its client leaves", async () => {
    const gate = new AdmissionGate({ slots: 1, maxQueued: 1, queueTimeoutMs: 60_000 });
    const holder = await gate.acquire("classify");
    const controller = new AbortController();
    const waiting = gate.acquire("classify", { signal: controller.signal });
    controller.abort();
    expect(await codeOf(waiting)).toBe("CLIENT_CLOSED");
    expect(gate.stats().queued.classify).toBe(0);
    holder.release();
    expect(gate.stats().running.classify).toBe(0);
  });
});

describe("AdmissionGate: refusing at admission from measured hold times", () => {
  /** A gate on a hand-moved clock: two sequences, so replies have one lane and classifications keep the other. */
  function gateOnClock(queueTimeoutMs = 10_000) {
    const clock = { t: 1_000_000 };
    const gate = new AdmissionGate({ slots: 2, maxQueued: 4, queueTimeoutMs, now: () => clock.t });
    return { gate, clock };
  }

  it("refuses at once, with the expected wait as Retry-After, a reply that would wait longer than the timeout", async () => {
    const { gate, clock } = gateOnClock();
    const measured = await gate.acquire("generate");
    clock.t += 16_000;
    measured.release();
    expect(gate.stats().serviceTime.generate).toEqual({ ms: 16_000, samples: 1 });

    const running = await gate.acquire("generate");
    const refused = await gate.acquire("generate").catch((error: AppError) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe("ENGINE_BUSY");
    expect((refused as AppError).message).toMatch(/expected to be free in about 16 s/);
    expect((refused as AppError).details?.retryAfterMs).toBe(16_000);
    expect(gate.stats()).toMatchObject({
      queued: { generate: 0 },
      refused: { queueFull: 0, expectedWait: 1, waitTimeout: 0 },
      expectedWaitMs: { generate: 16_000 },
    });

    // Eight seconds on, the running reply should end within the timeout: the next one waits for it.
    clock.t += 8_000;
    const queued = gate.acquire("generate");
    expect(gate.stats().queued.generate).toBe(1);
    running.release();
    (await queued).release();
  });

  it("queues as before while the class has no measured hold time", async () => {
    const { gate } = gateOnClock();
    const running = await gate.acquire("generate");
    const queued = gate.acquire("generate");
    expect(gate.stats()).toMatchObject({ queued: { generate: 1 }, expectedWaitMs: { generate: null } });
    running.release();
    (await queued).release();
  });

  it("keeps classifications apart: a long reply's estimate does not refuse a classification", async () => {
    const { gate, clock } = gateOnClock();
    for (const [cls, heldMs] of [
      ["generate", 60_000],
      ["classify", 300],
    ] as const) {
      const ticket = await gate.acquire(cls);
      clock.t += heldMs;
      ticket.release();
    }
    const reply = await gate.acquire("generate");
    const classification = await gate.acquire("classify");
    // Both sequences are busy: the next classification waits for the running one (0.3 s), not for the reply,
    // and one more after it for the two of them.
    expect(gate.stats().expectedWaitMs).toEqual({ classify: 300, generate: 60_000 });
    const waiting = gate.acquire("classify");
    expect(gate.stats()).toMatchObject({ queued: { classify: 1 }, expectedWaitMs: { classify: 600 } });
    classification.release();
    (await waiting).release();
    reply.release();
  });

  it("leaves out of the estimate calls that ended early, and refuses what its deadline could not serve", async () => {
    const { gate, clock } = gateOnClock(60_000);
    const abandoned = await gate.acquire("generate");
    clock.t += 500;
    abandoned.release({ served: false });
    expect(gate.stats().serviceTime.generate).toEqual({ ms: null, samples: 0 });
    const measured = await gate.acquire("generate");
    clock.t += 10_000;
    measured.release();
    const running = await gate.acquire("generate");
    // A 10 s wait fits the 60 s queue timeout, but a 15 s deadline leaves only 5 s to wait before a 10 s call.
    expect(await codeOf(gate.acquire("generate", { deadlineMs: 15_000 }))).toBe("ENGINE_BUSY");
    const queued = gate.acquire("generate", { deadlineMs: 30_000 });
    expect(gate.stats().queued.generate).toBe(1);
    running.release();
    (await queued).release();
  });
});

describe("admitRequests", () => {
  it("ends a reply that outlives the deadline with ENGINE_TIMEOUT and frees its sequence", async () => {
    const backend = new FakeLlmBackend({ reply: () => "很长的回答".repeat(20), delayMs: 10 });
    const admitted = admitRequests(backend, { slots: 1, maxQueued: 0, queueTimeoutMs: 1000, deadlineMs: 60 });
    const parts: string[] = [];
    const run = async () => {
      for await (const part of admitted.interactive.generate({
        messages: [{ role: "user", content: "讲" }],
        maxTokens: 100,
      })) {
        if (part.type === "text") parts.push(part.text);
      }
    };
    expect(await codeOf(run())).toBe("ENGINE_TIMEOUT");
    expect(parts.length).toBeGreaterThan(0);
    expect(parts.length).toBeLessThan(100);
    expect(admitted.stats().running.generate).toBe(0);
  });

  it("lets background work wait without a deadline or a queue limit", async () => {
    const backend = new FakeLlmBackend({ delayMs: 20 });
    const admitted = admitRequests(backend, { slots: 1, maxQueued: 0, queueTimeoutMs: 5, deadlineMs: 10 });
    const request = { prefix: [], input: "好", labels: ["正面", "负面"] };
    const results = await Promise.all([1, 2, 3].map(() => admitted.background.classify(request)));
    expect(results.map((r) => r.label)).toEqual(["正面", "正面", "正面"]);
    // The same calls on the interactive view: one runs, the others are refused, and the deadline cuts the one.
    const codes = await Promise.all([1, 2, 3].map(() => codeOf(admitted.interactive.classify(request))));
    expect(codes.sort()).toEqual(["ENGINE_BUSY", "ENGINE_BUSY", "ENGINE_TIMEOUT"]);
  });
});
