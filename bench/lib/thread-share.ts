/** Pure: the share of time spent at each thread count, from the governor's milliseconds per count. */
export function threadShare(msAtThreads: Record<number, number> | undefined): Record<string, number> {
  if (!msAtThreads) return {};
  const total = Object.values(msAtThreads).reduce((a, b) => a + b, 0);
  if (total <= 0) return {};
  return Object.fromEntries(
    Object.entries(msAtThreads).map(([threads, ms]) => [threads, Math.round((ms / total) * 100) / 100]),
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
