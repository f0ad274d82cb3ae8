/**
 * Every failure the service reports on purpose is an AppError with a stable code.
 * The HTTP error handler maps it to `{error: {code, message}}` with `status`; the CLI maps it to an exit code.
 * The full list of codes lives in docs/errors.md.
 */
export const errorCodes = {
  BAD_REQUEST: 400,
  INVALID_JSON: 400,
  JSON_TOO_DEEP: 400,
  VALIDATION_FAILED: 400,
  INPUT_TOO_LONG: 413,
  UNKNOWN_LABEL: 400,
  UNSUPPORTED_FEEDBACK: 400,
  WRONG_TASK_KIND: 400,
  UNAUTHORIZED: 401,
  ADMIN_DISABLED: 403,
  CSRF_INVALID: 403,
  HOST_NOT_ALLOWED: 403,
  ORIGIN_NOT_ALLOWED: 403,
  FEEDBACK_FORBIDDEN: 403,
  NOT_FOUND: 404,
  INTERACTION_NOT_FOUND: 404,
  TASK_NOT_FOUND: 404,
  PROMPT_VERSION_NOT_FOUND: 404,
  MEMORY_NOT_FOUND: 404,
  REGRESSION_SET_NOT_FOUND: 404,
  CONFLICT: 409,
  PROMPT_VERSION_CONFLICT: 409,
  PROMPT_VERSION_UNCHANGED: 400,
  ADAPTER_NOT_FOUND: 400,
  ADAPTER_INVALID: 400,
  ADAPTER_MISMATCH: 400,
  ADAPTER_UNSUPPORTED: 400,
  ROLLOUT_CONFLICT: 409,
  EVIDENCE_INSUFFICIENT: 409,
  FEEDBACK_LIMIT_REACHED: 409,
  PAYLOAD_TOO_LARGE: 413,
  REQUEST_TIMEOUT: 408,
  HEADERS_TOO_LARGE: 431,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  CLIENT_CLOSED: 499,
  INTERNAL: 500,
  ENGINE_FAILED: 503,
  ENGINE_BUSY: 503,
  ADAPTER_LIMIT_REACHED: 503,
  ENGINE_UNAVAILABLE: 503,
  ENGINE_BAD_RESPONSE: 502,
  ENGINE_TIMEOUT: 504,
  STORAGE_FAILED: 503,
  CONFIG_INVALID: 500,
  DATABASE_NOT_FOUND: 500,
  NO_MATCH: 500,
  MODEL_UNAVAILABLE: 500,
} as const;

export type ErrorCode = keyof typeof errorCodes;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Extra machine-readable detail for the client, e.g. the allowed labels. */
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.status = errorCodes[code];
    this.details = options.details;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
