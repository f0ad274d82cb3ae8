import type { FastifyRequest, FastifyServerOptions } from "fastify";

/** What request logs may say about a client (LOG_CLIENT_ADDRESS) and where they go. */
export interface RequestLogOptions {
  level: string;
  /** Log each request's client address; off by default, since an address is personal data. */
  logClientAddress: boolean;
  /** Where log lines go; stdout when unset. */
  destination?: NodeJS.WritableStream;
}

/** The path of a URL without its query string, which may carry ids or tokens. */
export function pathOf(url: string): string {
  const cut = url.search(/[?#]/);
  return cut === -1 ? url : url.slice(0, cut);
}

/**
 * Pino options for the server: secrets in headers are redacted, logged URLs lose their query string, and the client
 * address is left out unless asked for.
 */
export function requestLoggerOptions(
  options: RequestLogOptions,
): NonNullable<FastifyServerOptions["logger"]> {
  return {
    level: options.level,
    redact: ["req.headers.authorization", "req.headers.cookie"],
    serializers: {
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: pathOf(request.url),
        ...(options.logClientAddress && { remoteAddress: request.ip }),
      }),
    },
    ...(options.destination && { stream: options.destination }),
  };
}
