import { AppError } from "../../errors.js";

/** A failed answer from the model server, before it becomes the AppError the caller sees. */
export class EngineHttpError extends Error {
  readonly status: number;
  readonly body: string;

  constructor(status: number, body: string, url: string) {
    super(`${url} answered ${status}: ${serverMessage(body)}`);
    this.name = "EngineHttpError";
    this.status = status;
    this.body = body;
  }

  /** Worth another attempt: the server is starting, overloaded or briefly failing. */
  get transient(): boolean {
    return this.status === 429 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

/** The `error.message` of an OpenAI-style or llama-server error body, or the body's start. */
export function serverMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown };
    const message =
      typeof parsed.error === "string" ? parsed.error : (parsed.error?.message ?? parsed.message);
    if (typeof message === "string") return message.slice(0, 300);
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return body.slice(0, 300) || "(empty body)";
}

/** The server's network error code (ECONNREFUSED, ENOTFOUND, …) from Node's `fetch failed` TypeError. */
function networkCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === "string" ? cause.code : undefined;
}

export function isNetworkError(error: unknown): boolean {
  return error instanceof TypeError && (error.message === "fetch failed" || networkCode(error) !== undefined);
}

/** Maps an HTTP failure to the code callers act on. */
export function appErrorFromHttp(error: EngineHttpError, server: string): AppError {
  const message = serverMessage(error.body);
  // The server's status stays readable for callers that adapt to it (e.g. a server without structured output).
  const options = { cause: error, details: { serverStatus: error.status } };
  if (error.status === 401 || error.status === 403) {
    return new AppError(
      "ENGINE_UNAVAILABLE",
      `The model server ${server} refused the API key (LLM_API_KEY)`,
      options,
    );
  }
  if (error.status === 429) {
    return new AppError("ENGINE_BUSY", `The model server ${server} is busy: ${message}`, options);
  }
  if (error.status === 400 && /context|too long|exceed/i.test(message)) {
    return new AppError(
      "INPUT_TOO_LONG",
      `The prompt doesn't fit the model server's context: ${message}`,
      options,
    );
  }
  if (error.status === 503) {
    return new AppError("ENGINE_UNAVAILABLE", `The model server ${server} is not ready: ${message}`, options);
  }
  return new AppError(
    "ENGINE_FAILED",
    `The model server ${server} failed (${error.status}): ${message}`,
    options,
  );
}

export function unreachable(server: string, error: unknown): AppError {
  const code = networkCode(error);
  return new AppError(
    "ENGINE_UNAVAILABLE",
    `The model server ${server} is unreachable${code ? ` (${code})` : ""}`,
    { cause: error },
  );
}

export function badResponse(server: string, what: string, cause?: unknown): AppError {
  return new AppError("ENGINE_BAD_RESPONSE", `The model server ${server} ${what}`, { cause });
}
