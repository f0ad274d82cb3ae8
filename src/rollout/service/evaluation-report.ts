import type { RecordedAction } from "../store/rollout-store.js";
import type { GuardrailResult } from "../core/evaluate-guardrails.js";

/** One look by {@link RolloutService.evaluateNow}. */
export interface EvaluationReport {
  evaluatedAt: string;
  /** One per running experiment, with the decision core's answer. */
  decisions: Array<{
    experimentId: string;
    task: string;
    candidate: string;
    action: RecordedAction;
    reasonCode: string;
    reason: string;
  }>;
  /** Experiments that could not be evaluated (left as they were). */
  failures: Array<{ experimentId: string; task: string; code: string; message: string }>;
  /** One per promotion still in its holdback (guardrails against the replaced version); reverted ones say so. */
  holdbacks: HoldbackLook[];
  /** Versions retired because their grace period was over. */
  retired: string[];
}

/** One look at a holdback (holdback.ts). */
export interface HoldbackLook {
  experimentId: string;
  task: string;
  /** The promoted version (still active unless reverted). */
  candidate: string;
  action: "continue" | "rollback";
  reasonCode: "holdback_clean" | "holdback_degraded";
  reason: string;
  guardrails: GuardrailResult[];
}
