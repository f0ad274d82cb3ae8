import { useCallback, useRef, useState } from "react";
import type { FeedbackEvent } from "../api/api-types.js";
import { useServices } from "../app-services.js";
import type { FeedbackOutcome } from "./feedback-queue.js";

/** What a feedback widget shows about its latest submission. */
export type SubmissionStatus = "idle" | "sending" | "recorded" | "failed" | "rejected";

export function statusOf(outcome: FeedbackOutcome): SubmissionStatus {
  switch (outcome.kind) {
    case "recorded":
    case "handed_off":
      return "recorded";
    case "rejected":
      return "rejected";
    case "failed":
      return "failed";
  }
}

/**
 * Sends feedback in the background and tracks its status for one widget. Sending never blocks or
 * throws; only the latest submission's outcome is shown.
 */
export function useFeedbackSubmission(): { status: SubmissionStatus; send: (event: FeedbackEvent) => void } {
  const { feedback } = useServices();
  const [status, setStatus] = useState<SubmissionStatus>("idle");
  const latest = useRef(0);
  const send = useCallback(
    (event: FeedbackEvent) => {
      const ticket = ++latest.current;
      setStatus("sending");
      void feedback.submit(event).then((outcome) => {
        if (ticket === latest.current) setStatus(statusOf(outcome));
      });
    },
    [feedback],
  );
  return { status, send };
}
