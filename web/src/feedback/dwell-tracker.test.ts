import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DwellAccumulator } from "./dwell-accumulator.js";
import { isMostlyInView, trackDwell, type IntersectionSample } from "./dwell-tracker.js";

type Step = { at: number } & (
  { kind: "view"; value: boolean } | { kind: "page"; value: boolean } | { kind: "flush" }
);

function run(steps: Step[], documentVisible = true): (number | null)[] {
  const accumulator = new DwellAccumulator({ documentVisible });
  return steps.map((step) => {
    if (step.kind === "view") return accumulator.setInView(step.value, step.at);
    if (step.kind === "page") return accumulator.setDocumentVisible(step.value, step.at);
    return accumulator.flush(step.at);
  });
}

describe("DwellAccumulator", () => {
  // [name, page visible at start, steps, what each step reports]
  it.each<[string, boolean, Step[], (number | null)[]]>([
    [
      "reports the span when the reply leaves view",
      true,
      [
        { kind: "view", value: true, at: 1000 },
        { kind: "view", value: false, at: 3500 },
      ],
      [null, 2500],
    ],
    [
      "does not count time while the page is hidden",
      true,
      [
        { kind: "view", value: true, at: 0 },
        { kind: "page", value: false, at: 1000 },
        { kind: "page", value: true, at: 60_000 },
        { kind: "view", value: false, at: 61_000 },
      ],
      [null, 1000, null, 1000],
    ],
    [
      "holds back spans under 500 ms and adds them to the next",
      true,
      [
        { kind: "view", value: true, at: 0 },
        { kind: "view", value: false, at: 300 },
        { kind: "view", value: true, at: 5000 },
        { kind: "view", value: false, at: 5300 },
      ],
      [null, null, null, 600],
    ],
    [
      "does not count time in view while the page was hidden from the start",
      false,
      [
        { kind: "view", value: true, at: 0 },
        { kind: "view", value: false, at: 10_000 },
      ],
      [null, null],
    ],
    [
      "flush reports what was seen so far and keeps counting",
      true,
      [
        { kind: "view", value: true, at: 0 },
        { kind: "flush", at: 2000 },
        { kind: "flush", at: 2100 },
        { kind: "view", value: false, at: 2600 },
      ],
      [null, 2000, null, 600],
    ],
  ])("%s", (_name, documentVisible, steps, expected) => {
    expect(run(steps, documentVisible)).toEqual(expected);
  });

  it("reports visible time exactly, short of one remainder under the threshold", () => {
    const stepArb = fc.record({
      kind: fc.constantFrom("view", "page", "flush"),
      value: fc.boolean(),
      gap: fc.integer({ min: 0, max: 3000 }),
    });
    fc.assert(
      fc.property(fc.boolean(), fc.array(stepArb, { maxLength: 30 }), (startVisible, raw) => {
        const accumulator = new DwellAccumulator({ documentVisible: startVisible });
        // An independent model: sum the intervals during which both flags were true.
        let inView = false;
        let pageVisible = startVisible;
        let now = 0;
        let expectedVisible = 0;
        let reported = 0;
        for (const step of raw) {
          if (inView && pageVisible) expectedVisible += step.gap;
          now += step.gap;
          let ms: number | null;
          if (step.kind === "view") {
            inView = step.value;
            ms = accumulator.setInView(step.value, now);
          } else if (step.kind === "page") {
            pageVisible = step.value;
            ms = accumulator.setDocumentVisible(step.value, now);
          } else {
            ms = accumulator.flush(now);
          }
          if (ms !== null) {
            expect(ms).toBeGreaterThanOrEqual(500);
            reported += ms;
          }
        }
        reported += accumulator.setInView(false, now) ?? 0;
        expect(reported).toBeLessThanOrEqual(expectedVisible);
        expect(expectedVisible - reported).toBeLessThan(500);
      }),
    );
  });
});

describe("isMostlyInView", () => {
  it.each<[string, IntersectionSample, boolean]>([
    [
      "half visible",
      { intersectionRatio: 0.5, intersectionRect: { height: 50 }, rootBounds: { height: 800 } },
      true,
    ],
    [
      "a sliver",
      { intersectionRatio: 0.1, intersectionRect: { height: 10 }, rootBounds: { height: 800 } },
      false,
    ],
    [
      "a tall reply filling most of the viewport",
      { intersectionRatio: 0.3, intersectionRect: { height: 600 }, rootBounds: { height: 800 } },
      true,
    ],
    [
      "no root bounds",
      { intersectionRatio: 0.3, intersectionRect: { height: 600 }, rootBounds: null },
      false,
    ],
  ])("%s → %s", (_name, sample, expected) => {
    expect(isMostlyInView(sample)).toBe(expected);
  });
});

/** A fake environment: a clock, one observer and a page visibility flag, all driven by the test. */
function fakeEnvironment() {
  const env = {
    time: 0,
    pageVisible: true,
    intersect: (_ratio: number): void => undefined,
    visibilityListeners: new Set<() => void>(),
    disconnected: false,
    setPageVisible(visible: boolean) {
      env.pageVisible = visible;
      for (const listener of env.visibilityListeners) listener();
    },
  };
  const options = {
    now: () => env.time,
    createObserver: (callback: (entries: IntersectionSample[]) => void) => {
      env.intersect = (ratio) =>
        callback([
          {
            intersectionRatio: ratio,
            intersectionRect: { height: ratio * 100 },
            rootBounds: { height: 800 },
          },
        ]);
      return { observe: () => undefined, disconnect: () => (env.disconnected = true) };
    },
    visibility: {
      isVisible: () => env.pageVisible,
      subscribe: (listener: () => void) => {
        env.visibilityListeners.add(listener);
        return () => env.visibilityListeners.delete(listener);
      },
    },
  };
  return { env, options };
}

describe("trackDwell", () => {
  it("accumulates only while the reply is in view and the page is visible", () => {
    const { env, options } = fakeEnvironment();
    const reports: number[] = [];
    const tracker = trackDwell(document.createElement("div"), {
      ...options,
      onDwell: (ms) => reports.push(ms),
    });

    env.intersect(0.2); // barely on screen: not counted
    env.time = 1000;
    env.intersect(0.8);
    env.time = 2000;
    env.setPageVisible(false); // 1000 ms seen, reported as the page hides
    env.time = 50_000;
    env.setPageVisible(true);
    env.time = 50_700;
    env.intersect(0.1); // 700 ms more
    env.time = 90_000;
    tracker.stop();

    expect(reports).toEqual([1000, 700]);
    expect(env.disconnected).toBe(true);
    expect(env.visibilityListeners.size).toBe(0);
  });

  it("flush hands back the time seen so far, stop reports the rest once", () => {
    const { env, options } = fakeEnvironment();
    const reports: number[] = [];
    const tracker = trackDwell(document.createElement("div"), {
      ...options,
      onDwell: (ms) => reports.push(ms),
    });
    env.intersect(1);
    env.time = 4000;
    expect(tracker.flush()).toBe(4000);
    expect(tracker.flush()).toBeNull();
    env.time = 5000;
    tracker.stop();
    tracker.stop();
    expect(tracker.flush()).toBeNull();
    expect(reports).toEqual([1000]);
  });
});
