import { describe, expect, it } from "vitest";
import { consumeOne, type RateLimits } from "./rate-limits.js";

/** The rules every RateLimits keeps (run against memory and PostgreSQL): a fresh `RateLimits` per test. */
export function rateLimitsContract(name: string, make: () => Promise<RateLimits>): void {
  describe(`RateLimits contract: ${name}`, () => {
    it("admits `points` requests per key in the window and refuses the next until the window ends", async () => {
      const limiter = (await make()).limiter({ name: "model", points: 3, durationS: 60 });
      const outcomes = [];
      for (let i = 0; i < 4; i++) outcomes.push(await consumeOne(limiter, "10.0.0.1"));
      expect(outcomes.map((o) => [o.admitted, o.remaining])).toEqual([
        [true, 2],
        [true, 1],
        [true, 0],
        [false, 0],
      ]);
      expect(outcomes[3]!.msBeforeNext).toBeGreaterThan(55_000);
      expect(outcomes[3]!.msBeforeNext).toBeLessThanOrEqual(60_000);
    });

    it("keeps keys and budgets apart", async () => {
      const limits = await make();
      const model = limits.limiter({ name: "model", points: 1, durationS: 60 });
      const feedback = limits.limiter({ name: "feedback-address", points: 1, durationS: 60 });
      expect((await consumeOne(model, "10.0.0.1")).admitted).toBe(true);
      expect((await consumeOne(model, "10.0.0.1")).admitted).toBe(false);
      expect((await consumeOne(model, "10.0.0.2")).admitted).toBe(true);
      expect((await consumeOne(feedback, "10.0.0.1")).admitted).toBe(true);
    });

    it("blocks a key for blockDurationS once it goes over, and reports it through get()", async () => {
      const limiter = (await make()).limiter({
        name: "admin-failures",
        points: 2,
        durationS: 60,
        blockDurationS: 900,
      });
      expect(await limiter.get("10.0.0.1")).toBeNull();
      for (let i = 0; i < 2; i++) expect((await consumeOne(limiter, "10.0.0.1")).admitted).toBe(true);
      const refused = await consumeOne(limiter, "10.0.0.1");
      expect(refused.admitted).toBe(false);
      expect(refused.msBeforeNext).toBeGreaterThan(60_000);
      const record = await limiter.get("10.0.0.1");
      expect(record?.consumedPoints).toBeGreaterThan(2);
      expect(record?.msBeforeNext).toBeGreaterThan(60_000);
    });
  });
}
