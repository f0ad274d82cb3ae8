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
    const waiting = gate.acquire("classify", controller.signal);
    controller.abort();
    expect(await codeOf(waiting)).toBe("CLIENT_CLOSED");
    expect(gate.stats().queued.classify).toBe(0);
    holder.release();
    expect(gate.stats().running.classify).toBe(0);
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
