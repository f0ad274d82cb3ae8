/** The two sides of a time split. */
export interface TimeSplit<T> {
  /** Created strictly before `cutoff`; candidates are built from these only. */
  earlier: T[];
  /** Created at or after `cutoff`; these score the candidates. */
  later: T[];
  /** epoch ms; null when `later` is empty. */
  cutoff: number | null;
}

/**
 * Splits items by creation time so that about `fraction` of them (by count) are earlier. Items sharing the
 * boundary timestamp all go to the later side, so nothing later than or as late as the cutoff is ever used to
 * build a candidate.
 */
export function splitByTime<T extends { createdAt: number }>(
  items: readonly T[],
  fraction: number,
): TimeSplit<T> {
  const sorted = [...items].sort((a, b) => a.createdAt - b.createdAt);
  const index = Math.min(sorted.length, Math.max(0, Math.floor(sorted.length * fraction)));
  if (index >= sorted.length) return { earlier: sorted, later: [], cutoff: null };
  const cutoff = sorted[index]!.createdAt;
  return splitAt(sorted, cutoff);
}

/** Splits sorted-or-not items at a given cutoff time (earlier: createdAt < cutoff). */
export function splitAt<T extends { createdAt: number }>(items: readonly T[], cutoff: number): TimeSplit<T> {
  const sorted = [...items].sort((a, b) => a.createdAt - b.createdAt);
  const earlier = sorted.filter((item) => item.createdAt < cutoff);
  const later = sorted.filter((item) => item.createdAt >= cutoff);
  return { earlier, later, cutoff: later.length === 0 ? null : cutoff };
}
