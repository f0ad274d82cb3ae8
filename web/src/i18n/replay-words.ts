import {
  replayReasonZh,
  type ReplayGateReasonCode,
  type ReplayGateReasonParams,
} from "../../../src/analysis/core/replay-gate-reason.js";
import type { Locale } from "./messages.js";

/** A replay-gate result as the report API sends it (reports stored before codes existed have only `reason`). */
export interface ReplayVerdict {
  pass: boolean;
  reason: string;
  reasonCode?: ReplayGateReasonCode;
  reasonParams?: ReplayGateReasonParams;
}

/** Why the replay gate passed or failed a candidate, in the reader's language (from the code and its figures). */
export function replayReasonIn(locale: Locale, verdict: ReplayVerdict): string {
  return locale === "zh" ? replayReasonZh(verdict) : verdict.reason;
}
