/** Options of {@link DwellAccumulator}. */
export interface DwellAccumulatorOptions {
  /** Whether the document is visible when tracking starts. */
  documentVisible: boolean;
  /** Shorter spans are held back and added to the next one: a reply scrolled past is not "read". */
  minReportMs?: number;
}

// The API accepts dwell up to one day.
const maxDwellMs = 86_400_000;

/**
 * Counts how long a reply was actually visible: in view (≥ 50%) AND the page visible. Pure: the caller
 * passes the time of every change. Each method returns the milliseconds to report now (the visible time
 * not reported before, once it reaches `minReportMs`) or null, so the reported spans add up to the
 * total visible time minus at most one unreported remainder below the threshold.
 */
export class DwellAccumulator {
  private inView = false;
  private documentVisible: boolean;
  private visibleSince: number | null = null;
  private unreportedMs = 0;
  private readonly minReportMs: number;

  constructor(options: DwellAccumulatorOptions) {
    this.documentVisible = options.documentVisible;
    this.minReportMs = options.minReportMs ?? 500;
  }

  /** The reply entered or left the viewport. */
  setInView(inView: boolean, now: number): number | null {
    return this.update(() => (this.inView = inView), now);
  }

  /** The page became visible or hidden (visibilitychange). */
  setDocumentVisible(visible: boolean, now: number): number | null {
    return this.update(() => (this.documentVisible = visible), now);
  }

  /**
   * The page may be going away (pagehide): report what was seen so far. If the reply is still visible
   * the clock keeps running from `now`, in case the page stays (e.g. restored from the back/forward cache).
   */
  flush(now: number): number | null {
    if (this.visibleSince !== null) {
      this.unreportedMs += Math.max(0, now - this.visibleSince);
      this.visibleSince = now;
    }
    return this.takeReport();
  }

  private get visible(): boolean {
    return this.inView && this.documentVisible;
  }

  private update(change: () => void, now: number): number | null {
    const wasVisible = this.visible;
    change();
    if (!wasVisible && this.visible) {
      this.visibleSince = now;
      return null;
    }
    if (wasVisible && !this.visible && this.visibleSince !== null) {
      this.unreportedMs += Math.max(0, now - this.visibleSince);
      this.visibleSince = null;
      return this.takeReport();
    }
    return null;
  }

  private takeReport(): number | null {
    if (this.unreportedMs < this.minReportMs) return null;
    const ms = Math.min(maxDwellMs, Math.round(this.unreportedMs));
    this.unreportedMs = 0;
    return ms;
  }
}
