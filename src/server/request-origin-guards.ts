import type { FastifyRequest } from "fastify";
import { AppError } from "../errors.js";
import { normaliseHostname, type HostAllowList } from "./host-allow-list.js";

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/** `onRequest`: refuses a Host the allow-list doesn't accept (DNS rebinding), before anything else runs. */
export function createHostGuard(allowList: HostAllowList) {
  return async (request: FastifyRequest): Promise<void> => {
    if (allowList.allows(request.hostname)) return;
    throw new AppError(
      "HOST_NOT_ALLOWED",
      `This server does not answer to the host name ${JSON.stringify(request.hostname)}; add it to ALLOWED_HOSTS`,
    );
  };
}

/** The origin's host:port as a Host header would carry it, or null for `null` and malformed origins. */
function originHost(origin: string): { host: string; hostname: string } | null {
  try {
    const url = new URL(origin);
    return url.host === "" ? null : { host: url.host.toLowerCase(), hostname: url.hostname };
  } catch {
    return null;
  }
}

/**
 * `onRequest`: a browser names the page that sent a request in `Origin`; a write whose page is on another site is a
 * cross-site request (a form or `sendBeacon` needs no CORS preflight) and is refused. Requests without `Origin`
 * (curl, servers, the OpenAI client) are not from a browser page and pass: the routes authenticate them
 * otherwise. An origin passes when it is this very host:port, or a name the operator listed in ALLOWED_HOSTS
 * (a reverse proxy may rewrite Host).
 */
export function createSameOriginGuard(allowList: HostAllowList) {
  return async (request: FastifyRequest): Promise<void> => {
    const origin = request.headers.origin;
    if (origin === undefined || safeMethods.has(request.method)) return;
    const from = originHost(origin);
    if (
      from &&
      (from.host === request.host.toLowerCase() || allowList.lists(normaliseHostname(from.hostname)))
    ) {
      return;
    }
    throw new AppError("ORIGIN_NOT_ALLOWED", `Cross-site requests are refused (Origin ${origin})`);
  };
}
