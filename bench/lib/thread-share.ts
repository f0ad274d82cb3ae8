/** Pure: the share of time spent at each thread count, from the governor's milliseconds per count. */
export function threadShare(msAtThreads: Record<number, number> | undefined): Record<string, number> {
  if (!msAtThreads) return {};
  const total = Object.values(msAtThreads).reduce((a, b) => a + b, 0);
  if (total <= 0) return {};
  return Object.fromEntries(
    Object.entries(msAtThreads)
      .filter(([, ms]) => ms > 0)
      .map(([threads, ms]) => [threads, Math.round((ms / total) * 100) / 100]),
  );
}

/** "2 threads 85%, 1 thread 15%", or "fixed" when the count never adapted. */
export function describeThreadShare(share: Record<string, number>): string {
  const entries = Object.entries(share).sort(([a], [b]) => Number(b) - Number(a));
  if (entries.length === 0) return "fixed";
  return entries
    .map(([threads, part]) => `${threads} thread${threads === "1" ? "" : "s"} ${Math.round(part * 100)}%`)
    .join(", ");
}

/** Pure: the governor's milliseconds per thread count accumulated between two snapshots of its counters. */
export function msAtThreadsSince(
  before: Record<number, number> | undefined,
  after: Record<number, number> | undefined,
): Record<number, number> | undefined {
  if (!after) return undefined;
  return Object.fromEntries(
    Object.entries(after).map(([threads, ms]) => [threads, ms - (before?.[Number(threads)] ?? 0)]),
  );
}
