import { describe, expect, it } from "vitest";
import { noServiceTime, recordServiceTime } from "./service-time.js";

describe("recordServiceTime", () => {
  it("starts at the first hold time, then moves a quarter of the way to each new one", () => {
    const first = recordServiceTime(noServiceTime, 16_000);
    expect(first).toEqual({ ms: 16_000, samples: 1 });
    const second = recordServiceTime(first, 20_000);
    expect(second).toEqual({ ms: 17_000, samples: 2 });
  });

  it("follows a lasting change: after 20 calls of 4 s, an estimate that began at 16 s is within 1% of 4 s", () => {
    let estimate = recordServiceTime(noServiceTime, 16_000);
    for (let i = 0; i < 20; i++) estimate = recordServiceTime(estimate, 4_000);
    expect(estimate.samples).toBe(21);
    expect(estimate.ms).toBeGreaterThan(4_000);
    expect(estimate.ms).toBeLessThan(4_040);
  });

  it("takes a negative hold time (a clock step) as zero", () => {
    expect(recordServiceTime(noServiceTime, -5)).toEqual({ ms: 0, samples: 1 });
  });
});
