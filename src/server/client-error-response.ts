import http from "node:http";
import type { Socket } from "node:net";
import { errorCodes, type ErrorCode } from "../errors.js";

/** What Node's HTTP parser and deadlines report, as the API's error codes. */
function codeOf(error: NodeJS.ErrnoException): { code: ErrorCode; message: string } {
  switch (error.code) {
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return { code: "REQUEST_TIMEOUT", message: "The request took too long to arrive (REQUEST_TIMEOUT_MS)" };
    case "HPE_HEADER_OVERFLOW":
      return { code: "HEADERS_TOO_LARGE", message: "The request's headers are too large" };
    default:
      return { code: "BAD_REQUEST", message: "The request is not valid HTTP" };
  }
}

/**
 * Fastify's `clientErrorHandler`: a request that never reaches a route (malformed, headers over the limit, too slow
 * to arrive) is answered in the API's `{error: {code, message}}` shape like every other error, then closed.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection has nobody to answer.
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const { code, message } = codeOf(error);
  const status = errorCodes[code];
  const body = JSON.stringify({ error: { code, message } });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? "Error"}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
