import { describe, expect, it } from "vitest";
import { decideAdmission, expectedWaitMs, retryAfterSeconds } from "./expected-wait.js";

const now = 100_000;

describe("expectedWaitMs", () => {
  it("is zero while a lane is free", () => {
    const running = [{ startedAt: now, expectedMs: 16_000 }];
    expect(expectedWaitMs({ now, lanes: 2, running, ahead: 0, serviceMs: 16_000 })).toBe(0);
  });

  it("waits for the running call expected to end first, counting what it has already held", () => {
    const running = [
      { startedAt: now - 4_000, expectedMs: 16_000 }, // ends in 12 s
      { startedAt: now - 10_000, expectedMs: 16_000 }, // ends in 6 s
      { startedAt: now, expectedMs: 16_000 }, // ends in 16 s
    ];
    expect(expectedWaitMs({ now, lanes: 3, running, ahead: 0, serviceMs: 16_000 })).toBe(6_000);
  });

  it("puts each request ahead on the lane that frees first: queue position × service time ÷ lanes", () => {
    const justStarted = [0, 1, 2].map(() => ({ startedAt: now, expectedMs: 15_000 }));
    const wait = (ahead: number) =>
      expectedWaitMs({ now, lanes: 3, running: justStarted, ahead, serviceMs: 15_000 });
    expect(wait(0)).toBe(15_000);
    expect(wait(2)).toBe(15_000);
    expect(wait(3)).toBe(30_000);
    expect(wait(8)).toBe(45_000);
  });

  it("takes calls of an unmeasured class, and calls past their estimate, to end now", () => {
    const running = [
      { startedAt: now - 1_000, expectedMs: null },
      { startedAt: now - 30_000, expectedMs: 16_000 },
    ];
    expect(expectedWaitMs({ now, lanes: 2, running, ahead: 1, serviceMs: 5_000 })).toBe(0);
    expect(expectedWaitMs({ now, lanes: 2, running, ahead: 2, serviceMs: 5_000 })).toBe(5_000);
  });

  it("counts only the lanes' earliest calls when more calls run than it has lanes", () => {
    const running = [
      { startedAt: now, expectedMs: 1_000 },
      { startedAt: now, expectedMs: 9_000 },
    ];
    expect(expectedWaitMs({ now, lanes: 1, running, ahead: 0, serviceMs: 1_000 })).toBe(1_000);
  });
});

describe("decideAdmission", () => {
  it("refuses a wait longer than the queue timeout, and queues one within it", () => {
    const base = { serviceMs: 16_000, samples: 5, queueTimeoutMs: 10_000 };
    expect(decideAdmission({ ...base, expectedWaitMs: 16_000 })).toEqual({
      admit: false,
      budgetMs: 10_000,
      reason: "expected_wait",
    });
    expect(decideAdmission({ ...base, expectedWaitMs: 10_000 })).toEqual({ admit: true, budgetMs: 10_000 });
  });

  it("leaves the call its service time before its deadline", () => {
    const question = { serviceMs: 16_000, samples: 5, queueTimeoutMs: 60_000, deadlineMs: 30_000 };
    expect(decideAdmission({ ...question, expectedWaitMs: 14_000 })).toMatchObject({
      admit: true,
      budgetMs: 14_000,
    });
    expect(decideAdmission({ ...question, expectedWaitMs: 15_000 })).toMatchObject({ admit: false });
  });

  it("queues as without an estimate while nothing has been measured", () => {
    expect(
      decideAdmission({ expectedWaitMs: 1e9, serviceMs: 0, samples: 0, queueTimeoutMs: 10_000 }),
    ).toMatchObject({ admit: true });
  });
});

describe("retryAfterSeconds", () => {
  it("rounds the expected wait up to whole seconds, between 1 and 120", () => {
    expect(retryAfterSeconds(0)).toBe(1);
    expect(retryAfterSeconds(15_001)).toBe(16);
    expect(retryAfterSeconds(10 * 60_000)).toBe(120);
  });
});
