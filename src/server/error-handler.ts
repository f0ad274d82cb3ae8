import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { AppError, isAppError, type ErrorCode } from "../errors.js";
import { toStorageAppError } from "../storage/storage-error.js";

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/** Fastify's own client-error codes, mapped onto ours. */
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: "INVALID_JSON",
  FST_ERR_CTP_EMPTY_JSON_BODY: "INVALID_JSON",
  FST_ERR_CTP_BODY_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "BAD_REQUEST",
};

/** Turns any thrown error into `{error: {code, message}}`; a client mistake never becomes a 500. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const tooLong = fastifyError.validation.find((v) => v.keyword === "maxLength");
    if (tooLong) {
      return new AppError(
        "INPUT_TOO_LONG",
        `${tooLong.instancePath || "input"} is too long: ${tooLong.message ?? ""}`,
      );
    }
    return new AppError("VALIDATION_FAILED", fastifyError.message);
  }
  if (error instanceof SyntaxError)
    return new AppError("INVALID_JSON", `The body is not valid JSON: ${error.message}`);
  const mapped = fastifyError.code ? fastifyCodes[fastifyError.code] : undefined;
  if (mapped) return new AppError(mapped, fastifyError.message);
  if (
    typeof fastifyError.statusCode === "number" &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500
  ) {
    return new AppError("BAD_REQUEST", fastifyError.message);
  }
  // A database failure is the operator's (503) or a lost race (409), never a 500.
  return toStorageAppError(error) ?? new AppError("INTERNAL", "Internal error", { cause: error });
}

export function errorBody(error: AppError): ErrorBody {
  return {
    error: { code: error.code, message: error.message, ...(error.details && { details: error.details }) },
  };
}

export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const appError = toAppError(error);
  if (appError.status >= 500)
    request.log.error({ err: appError.cause ?? appError, code: appError.code }, appError.message);
  else request.log.info({ code: appError.code }, "client error");
  const retryAfterMs = appError.details?.retryAfterMs;
  if (typeof retryAfterMs === "number" && !reply.hasHeader("retry-after"))
    void reply.header("retry-after", String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
  void reply.status(appError.status).send(errorBody(appError));
}
