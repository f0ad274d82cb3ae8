import type { AnalysisJobResult } from "./analysis-job-result.js";

/** Adds one replay's model calls and failures to the analysis run's replay cost (the first failure is kept). */
export function accountReplayCost(
  cost: AnalysisJobResult["replay"],
  outcome: { failures: number; firstFailure: string | null },
  calls: number,
): void {
  cost.calls += calls;
  cost.failures += outcome.failures;
  cost.firstFailure ??= outcome.firstFailure;
}
