import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cappedSupport, createSessionQuota } from "./session-quota.js";

describe("createSessionQuota", () => {
  it("lets one session count for at most its share, however much it sends", () => {
    const quota = createSessionQuota(0.1);
    let admitted = 0;
    for (let i = 0; i < 200; i++) if (quota.admit("g", `user-${i}`)) admitted++;
    for (let i = 0; i < 1000; i++) if (quota.admit("g", "attacker")) admitted++;
    expect(admitted).toBe(222);
    expect(quota.capped("g")).toEqual([{ sessionHash: "attacker", offered: 1000, counted: 22 }]);
    expect(quota.distinctSessions("g")).toBe(201);
  });

  it("counts a lone session's first item only, and items without a session as one session", () => {
    const quota = createSessionQuota(0.1);
    expect(Array.from({ length: 50 }, () => quota.admit("g", "solo")).filter(Boolean)).toHaveLength(1);
    const anonymous = Array.from({ length: 50 }, () => quota.admit("h", null)).filter(Boolean);
    expect(anonymous).toHaveLength(1);
    expect(quota.capped("h")[0]).toMatchObject({ sessionHash: "", offered: 50, counted: 1 });
  });

  it("keeps groups apart, and caps nothing at share 1", () => {
    const quota = createSessionQuota(1);
    expect(Array.from({ length: 20 }, () => quota.admit("g", "s")).every(Boolean)).toBe(true);
    expect(quota.capped("g")).toEqual([]);
  });

  it("holds every session to max(1, share × counted) for any arrival order (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 400 }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        (sessions, share) => {
          const quota = createSessionQuota(share);
          const counted = new Map<number, number>();
          for (const session of sessions)
            if (quota.admit("g", `s${session}`)) counted.set(session, (counted.get(session) ?? 0) + 1);
          const total = [...counted.values()].reduce((a, b) => a + b, 0);
          for (const count of counted.values())
            expect(count).toBeLessThanOrEqual(Math.max(1, share * total) + 1e-9);
        },
      ),
    );
  });
});

describe("cappedSupport", () => {
  it.each([
    // counts by session, share, capped support
    [[1000], 0.1, 0],
    [[5, 5, 5], 0.25, 0],
    [[1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 0.1, 10],
    [[100, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2], 0.1, 22],
    [[30, 30, 30, 30, 30], 0.2, 150],
    [[30, 1], 1, 31],
  ])("%j at share %d → %d", (counts, share, expected) => {
    const bySession = new Map(counts.map((count, index) => [`s${index}`, count]));
    expect(cappedSupport(bySession, share)).toBe(expected);
  });
});
