import type { FastifyReply, FastifyRequest } from "fastify";
import type { AppError } from "../errors.js";
import { toAppError } from "../server/error-handler.js";

/** OpenAI's error `type` for a status, so that OpenAI clients raise the matching exception class. */
function errorType(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "server_error";
  return "invalid_request_error";
}

/**
 * OpenAI's error body: `{error: {message, type, param, code}}`. It still carries our stable `code` and `message`
 * (docs/errors.md), so it is also this service's `{error: {code, message}}`.
 */
export function openAiErrorBody(error: AppError) {
  return {
    error: {
      message: error.message,
      type: errorType(error.status),
      param: null,
      code: error.code,
      ...(error.details && { details: error.details }),
    },
  };
}

/** The /v1 routes' error handler: the same mapping as the rest of the API, in OpenAI's shape. */
export function handleOpenAiError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const appError = toAppError(error);
  if (appError.status >= 500)
    request.log.error({ err: appError.cause ?? appError, code: appError.code }, appError.message);
  else request.log.info({ code: appError.code }, "client error");
  const retryAfterMs = appError.details?.retryAfterMs;
  if (typeof retryAfterMs === "number" && !reply.hasHeader("retry-after"))
    void reply.header("retry-after", String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
  void reply.status(appError.status).send(openAiErrorBody(appError));
}
