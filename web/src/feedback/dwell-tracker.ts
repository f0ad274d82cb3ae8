import { DwellAccumulator } from "./dwell-accumulator.js";

/** The part of an IntersectionObserverEntry the tracker reads. */
export interface IntersectionSample {
  intersectionRatio: number;
  intersectionRect: { height: number };
  rootBounds: { height: number } | null;
}

/** The part of an IntersectionObserver the tracker uses. */
export interface ObserverLike {
  observe(element: Element): void;
  disconnect(): void;
}

/** Whether the page is visible, and a way to hear when that changes. */
export interface VisibilitySource {
  isVisible(): boolean;
  subscribe(listener: () => void): () => void;
}

/** Options of {@link trackDwell}; every browser dependency is injected so tests can drive it. */
export interface DwellTrackerOptions {
  now: () => number;
  /** Called with each span of visible time to report (see DwellAccumulator). */
  onDwell: (ms: number) => void;
  createObserver: (callback: (entries: IntersectionSample[]) => void) => ObserverLike;
  visibility: VisibilitySource;
  minReportMs?: number;
}

/** Stops or flushes one reply's tracking. */
export interface DwellTracker {
  /**
   * Returns the visible time not yet reported (if at least the threshold) instead of reporting it, so the
   * page can send it by beacon while it unloads; tracking continues.
   */
  flush(): number | null;
  /** Reports the visible time so far and stops tracking (the reply unmounts). */
  stop(): void;
}

/**
 * "In view" means at least half of the reply is visible, or, for a reply taller than twice the
 * viewport that can never be half visible, that it fills at least half of the viewport.
 */
export function isMostlyInView(sample: IntersectionSample): boolean {
  if (sample.intersectionRatio >= 0.5) return true;
  const viewport = sample.rootBounds?.height ?? 0;
  return viewport > 0 && sample.intersectionRect.height >= viewport / 2;
}

/** Tracks how long `element` is actually seen and reports it through `onDwell`. */
export function trackDwell(element: Element, options: DwellTrackerOptions): DwellTracker {
  const accumulator = new DwellAccumulator({
    documentVisible: options.visibility.isVisible(),
    ...(options.minReportMs === undefined ? {} : { minReportMs: options.minReportMs }),
  });
  const report = (ms: number | null) => {
    if (ms !== null) options.onDwell(ms);
  };
  const observer = options.createObserver((entries) => {
    const latest = entries.at(-1);
    if (latest) report(accumulator.setInView(isMostlyInView(latest), options.now()));
  });
  observer.observe(element);
  const unsubscribe = options.visibility.subscribe(() => {
    report(accumulator.setDocumentVisible(options.visibility.isVisible(), options.now()));
  });
  let stopped = false;
  return {
    flush: () => (stopped ? null : accumulator.flush(options.now())),
    stop: () => {
      if (stopped) return;
      stopped = true;
      observer.disconnect();
      unsubscribe();
      report(accumulator.setInView(false, options.now()));
    },
  };
}

// Fine-grained thresholds so a tall reply's intersection is re-sampled as it scrolls.
const thresholds = Array.from({ length: 11 }, (_, i) => i / 10);

/** The real browser: IntersectionObserver, document.visibilityState and performance.now(). */
export function browserDwellEnvironment(): Pick<
  DwellTrackerOptions,
  "now" | "createObserver" | "visibility"
> {
  return {
    now: () => performance.now(),
    createObserver: (callback) =>
      new IntersectionObserver((entries) => callback(entries), { threshold: thresholds }),
    visibility: {
      isVisible: () => document.visibilityState === "visible",
      subscribe: (listener) => {
        document.addEventListener("visibilitychange", listener);
        return () => document.removeEventListener("visibilitychange", listener);
      },
    },
  };
}
