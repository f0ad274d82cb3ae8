/** What one arm of a rollout stage saw, as far as the decision's statistics say. */
export interface ArmSummary {
  arm: "control" | "candidate";
  /** Interactions with a correctness label from feedback. */
  labelled: number;
  /** Of `labelled`, the wrong ones. */
  errors: number;
  /** errors / labelled; null when nothing was labelled. */
  errorRate: number | null;
}

const arms = ["control", "candidate"] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function count(value: unknown): number | null {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : null;
}

/**
 * The per-arm labelled counts and error rates of a decision's `statistics` (`{arms: {control, candidate}}`,
 * docs/api.md). The field is untyped JSON on the wire, so anything malformed or missing (a start has none)
 * gives no summary rather than a wrong one.
 */
export function armSummaries(statistics: unknown): ArmSummary[] {
  if (!isRecord(statistics) || !isRecord(statistics["arms"])) return [];
  const byArm = statistics["arms"];
  const summaries: ArmSummary[] = [];
  for (const arm of arms) {
    const counts = byArm[arm];
    if (!isRecord(counts)) continue;
    const labelled = count(counts["labelled"]);
    const errors = count(counts["errors"]);
    if (labelled === null || errors === null || errors > labelled) continue;
    summaries.push({ arm, labelled, errors, errorRate: labelled === 0 ? null : errors / labelled });
  }
  return summaries;
}
