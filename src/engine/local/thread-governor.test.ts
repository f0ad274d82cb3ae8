import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { chooseThreads, startThreadGovernor, type CpuCounters } from "./thread-governor.js";

describe("chooseThreads", () => {
  it.each([
    { contendingCores: 0, current: 2, expected: 2 },
    { contendingCores: 0.3, current: 2, expected: 2 },
    { contendingCores: 0.4, current: 2, expected: 1 },
    { contendingCores: 1.9, current: 2, expected: 1 },
    // Hysteresis: at one thread, the second comes back only once contention is clearly gone.
    { contendingCores: 0.3, current: 1, expected: 1 },
    { contendingCores: 0.1, current: 1, expected: 2 },
  ])(
    "2 cores, $contendingCores cores busy elsewhere, now at $current → $expected",
    ({ contendingCores, current, expected }) => {
      expect(chooseThreads({ configured: 2, cores: 2, contendingCores, current }).threads).toBe(expected);
    },
  );

  it("never exceeds THREADS or the cores, never goes below one, and gives threads up as contention grows", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 16 }),
        fc.double({ min: 0, max: 16, noNaN: true }),
        fc.double({ min: 0, max: 16, noNaN: true }),
        fc.integer({ min: 1, max: 16 }),
        (configured, cores, a, b, current) => {
          const ceiling = Math.min(configured, cores);
          const [low, high] = a <= b ? [a, b] : [b, a];
          const atLow = chooseThreads({ configured, cores, contendingCores: low, current }).threads;
          const atHigh = chooseThreads({ configured, cores, contendingCores: high, current }).threads;
          for (const threads of [atLow, atHigh]) {
            expect(threads).toBeGreaterThanOrEqual(1);
            expect(threads).toBeLessThanOrEqual(ceiling);
          }
          expect(atHigh).toBeLessThanOrEqual(atLow);
        },
      ),
    );
  });

  it("says why", () => {
    expect(chooseThreads({ configured: 2, cores: 2, contendingCores: 1.2, current: 2 }).reason).toMatch(
      /1\.20 of 2 cores: 1 thread/,
    );
  });
});

describe("startThreadGovernor", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** A fake /proc: the test says how many ticks each party used per interval. */
  function fakeMachine() {
    const counters: CpuCounters = { machineBusy: 0, process: 0, mainThread: 0 };
    let clock = 0;
    return {
      read: () => ({ ...counters }),
      now: () => clock,
      /** One 250 ms interval in which other processes used `others` cores and we used `own`. */
      advance(others: number, own = 0, main = 0) {
        const ticks = (cores: number) => Math.round(cores * 25);
        counters.machineBusy += ticks(others) + ticks(own);
        counters.process += ticks(own);
        counters.mainThread += ticks(main);
        clock += 250;
        vi.advanceTimersByTime(250);
      },
    };
  }

  it("drops to one thread while other work runs, returns to all afterwards, and accounts the time", () => {
    const machine = fakeMachine();
    const applied: number[] = [];
    const governor = startThreadGovernor({
      configured: 2,
      cores: 2,
      apply: (threads) => applied.push(threads),
      readCounters: machine.read,
      now: machine.now,
    });
    machine.advance(0, 1.9);
    machine.advance(1.0, 1.0);
    machine.advance(1.0, 1.0);
    machine.advance(0, 0.9, 0.6); // our own main thread (HTTP, JSON) competes too
    machine.advance(0, 1.9);
    governor.stop();
    expect(applied).toEqual([2, 1, 2]);
    expect(governor.stats).toMatchObject({ current: 2, switches: 2, msAtThreads: { 1: 750, 2: 500 } });
  });

  it("keeps the configured count where /proc cannot be read", () => {
    const applied: number[] = [];
    const governor = startThreadGovernor({
      configured: 2,
      cores: 2,
      apply: (t) => applied.push(t),
      readCounters: () => undefined,
    });
    vi.advanceTimersByTime(2000);
    governor.stop();
    expect(applied).toEqual([2]);
  });
});
