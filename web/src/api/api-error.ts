/** Codes the client itself produces, next to the server's codes (src/errors.ts). */
export type ClientErrorCode = "NETWORK" | "STREAM_INTERRUPTED" | "BAD_RESPONSE";

/** A failure to show the user: the server's `{error: {code, message}}` or a client-side failure. */
export class ApiError extends Error {
  readonly code: string;
  /** HTTP status, or 0 when no response arrived. */
  readonly status: number;

  constructor(code: string, message: string, status: number) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = status;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** Reads `{error: {code, message}}` from a parsed body; null when the body has another shape. */
export function errorFromBody(body: unknown, status: number): ApiError | null {
  if (!isRecord(body) || !isRecord(body.error)) return null;
  const { code, message } = body.error;
  if (typeof code !== "string") return null;
  return new ApiError(code, typeof message === "string" ? message : code, status);
}

/** Turns a non-2xx response into an ApiError, whether or not the body is the documented JSON. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => "");
  try {
    const parsed = errorFromBody(JSON.parse(text), response.status);
    if (parsed) return parsed;
  } catch {
    // Not JSON (e.g. a proxy's HTML error page): fall through to a generic error.
  }
  return new ApiError(
    `HTTP_${response.status}`,
    response.statusText || `HTTP ${response.status}`,
    response.status,
  );
}

/**
 * `fetch` for the API: a request that never got an answer becomes NETWORK (unless it was aborted, which is
 * rethrown as is), an answer that isn't 2xx becomes its ApiError; otherwise the response.
 */
export async function requestOk(
  fetchFn: typeof fetch,
  url: string,
  init: RequestInit = {},
): Promise<Response> {
  let response: Response;
  try {
    response = await fetchFn(url, init);
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw new ApiError("NETWORK", "Could not reach the server", 0);
  }
  if (!response.ok) throw await errorFromResponse(response);
  return response;
}
