/**
 * MAX_INPUT_CHARS from GET /api/health (`limits.maxInputChars`). The body is read whatever the status: a degraded
 * service answers 503 with the same limits. Null when there is no usable answer.
 */
export async function fetchInputLimit(fetchFn: typeof fetch, signal?: AbortSignal): Promise<number | null> {
  const response = await fetchFn("/api/health", signal ? { signal } : {});
  const body: unknown = await response.json().catch(() => null);
  if (typeof body !== "object" || body === null || !("limits" in body)) return null;
  const limits: unknown = body.limits;
  if (typeof limits !== "object" || limits === null || !("maxInputChars" in limits)) return null;
  const max = limits.maxInputChars;
  return typeof max === "number" && Number.isInteger(max) && max > 0 ? max : null;
}
