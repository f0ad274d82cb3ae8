import { createContext, useContext, type ReactNode } from "react";
import type { FeedbackEvent } from "./api/api-types.js";
import type { DwellTrackerOptions } from "./feedback/dwell-tracker.js";
import type { FeedbackOutcome } from "./feedback/feedback-queue.js";

/** Where feedback goes: the FeedbackQueue in the app, anything with the same shape in tests. */
export interface FeedbackChannel {
  submit(event: FeedbackEvent): Promise<FeedbackOutcome>;
  /** Sends now by sendBeacon, for events raised while the page unloads. */
  beacon(event: FeedbackEvent): void;
  /** Hands all queued events to sendBeacon. */
  flushViaBeacon(): void;
  /** Keeps an answer's feedbackToken: feedback on that answer is refused without it. */
  rememberToken(interactionId: string, feedbackToken: string): void;
}

/** Everything with side effects the components use, injected once at the root so tests can replace it. */
export interface AppServices {
  fetch: typeof fetch;
  sessionId: string;
  feedback: FeedbackChannel;
  /** Wall-clock milliseconds (for follow-up delays). */
  now: () => number;
  dwell: Pick<DwellTrackerOptions, "now" | "createObserver" | "visibility">;
  /** Writes text to the clipboard; absent outside secure contexts. */
  writeClipboard?: (text: string) => Promise<void>;
}

const ServicesContext = createContext<AppServices | null>(null);

export function ServicesProvider({ services, children }: { services: AppServices; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error("useServices must be used inside <ServicesProvider>");
  return services;
}
