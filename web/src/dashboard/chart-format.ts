/** Distinct, colour-blind-friendly hues (Okabe–Ito), one per prompt version. */
export const versionColors = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"] as const;

export function colorOf(index: number): string {
  return versionColors[index % versionColors.length] ?? versionColors[0];
}

/**
 * Formats bucket starts as dates. Day buckets that start at UTC midnight are labelled by their UTC date,
 * so a viewer west of UTC does not see each bucket under the previous day.
 */
export function bucketDateFormatter(locale: string, buckets: readonly number[]): (bucket: number) => string {
  const utc = buckets.every((bucket) => bucket % 86_400_000 === 0);
  const format = new Intl.DateTimeFormat(locale, {
    month: "2-digit",
    day: "2-digit",
    ...(utc ? { timeZone: "UTC" } : {}),
  });
  return (bucket) => format.format(bucket);
}

/** Formats an ISO timestamp for tables, in the viewer's time zone. */
export function dateTimeFormatter(locale: string): (iso: string) => string {
  const format = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
  return (iso) => {
    const time = Date.parse(iso);
    return Number.isFinite(time) ? format.format(time) : iso;
  };
}

/**
 * Round percentage ticks from 0 to just above `max` (a share in [0, 1]): at most five steps of
 * 1, 2, 5, 10 or 20 points, so small rates such as exits get readable axes like 0–15%.
 */
export function shareTicks(max: number): number[] {
  const top = Math.min(1, Math.max(0.01, max));
  // 0.2 × 5 = 1 covers any share, so the search always succeeds.
  const step = [0.01, 0.02, 0.05, 0.1].find((s) => Math.ceil(top / s - 1e-9) <= 5) ?? 0.2;
  const count = Math.ceil(top / step - 1e-9);
  return Array.from({ length: count + 1 }, (_, i) => Math.round(i * step * 100) / 100);
}
