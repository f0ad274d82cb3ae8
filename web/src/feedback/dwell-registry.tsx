import { createContext, useContext, useEffect, type RefObject } from "react";
import type { FeedbackEvent } from "../api/api-types.js";
import { useServices } from "../app-services.js";
import { trackDwell } from "./dwell-tracker.js";

/**
 * The replies currently tracked, so the page can collect every reply's unreported dwell at once when it
 * is hidden or unloaded, and send it by beacon.
 */
export class DwellRegistry {
  private readonly collectors = new Set<() => FeedbackEvent | null>();

  register(collect: () => FeedbackEvent | null): () => void {
    this.collectors.add(collect);
    return () => this.collectors.delete(collect);
  }

  /** The pending dwell of every tracked reply, as feedback events. */
  collect(): FeedbackEvent[] {
    return [...this.collectors].flatMap((collect) => collect() ?? []);
  }
}

const RegistryContext = createContext<DwellRegistry | null>(null);

export const DwellRegistryProvider = RegistryContext.Provider;

/** Reports how long the element behind `ref` is actually seen, as `dwell` feedback on `interactionId`. */
export function useDwellTracking(ref: RefObject<Element | null>, interactionId: string): void {
  const { dwell, feedback } = useServices();
  const registry = useContext(RegistryContext);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const tracker = trackDwell(element, {
      ...dwell,
      onDwell: (ms) => void feedback.submit({ interactionId, type: "dwell", ms }),
    });
    const unregister = registry?.register(() => {
      const ms = tracker.flush();
      return ms === null ? null : { interactionId, type: "dwell", ms };
    });
    return () => {
      unregister?.();
      tracker.stop();
    };
  }, [ref, interactionId, dwell, feedback, registry]);
}
