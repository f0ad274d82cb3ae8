import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../../errors.js";
import { consumeOne, secondsToWait, type RateLimits } from "../../rate-limits/rate-limits.js";
import { sharedTokenOperator, type OperatorToken } from "../../operators/operator-tokens.js";
import {
  csrfHeaderName,
  csrfTokenMatches,
  decodeSession,
  sessionCookieName,
  type SessionPayload,
} from "./session-cookie.js";
import type { SessionRevocationStore } from "./session-revocation-store.js";

/** Who is acting on an admin route, and how they proved it. */
export interface Operator {
  name: string;
  /** `token`: a Bearer token (API, CLI, scripts); `session`: the console's cookie. */
  via: "token" | "session";
  /** Authenticated with the shared ADMIN_TOKEN: the name is declared, not proven. */
  shared: boolean;
}

declare module "fastify" {
  interface FastifyRequest {
    /** Set by the admin guard on every admin route. */
    operator: Operator | null;
  }
}

/** Wrong admin tokens an address may send before it is blocked, and for how long it is blocked (seconds). */
export const adminFailureLimit = { failures: 10, windowS: 15 * 60, blockS: 15 * 60 } as const;

const digest = (value: string) => createHash("sha256").update(value).digest();
const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

/** The operators' authentication: Bearer tokens and console sessions, with one failure throttle for both. */
export interface OperatorAuth {
  /** True when at least one token is configured (otherwise every admin route answers ADMIN_DISABLED). */
  readonly enabled: boolean;
  /** `onRequest` hook of the admin routes: sets `request.operator` or throws. */
  guard(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** The operator a presented token belongs to; a wrong token counts against the address (and may throw 429). */
  checkToken(request: FastifyRequest, reply: FastifyReply, token: string): Promise<OperatorToken>;
  /**
   * The valid session the request's cookie carries, or null (missing, forged, expired, signed out, or its operator
   * gone).
   */
  sessionOf(request: FastifyRequest): Promise<SessionPayload | null>;
  /** Signs the request's session out on the server: its cookie, or any copy of it, is refused from now on. */
  revokeSessionOf(request: FastifyRequest): Promise<void>;
  /** Whether a declared name would pass for one of the named operators (refused at a shared-token sign-in). */
  isNamedOperator(name: string): boolean;
}

/**
 * Every check runs in `onRequest`, before the body is read, parsed or validated: a request without credentials learns
 * nothing about a route's schema. Tokens are compared in constant time against every configured token (both sides
 * hashed first so lengths can't leak). After `adminFailureLimit.failures` wrong tokens from one address within the
 * window, that address gets 429 for the block time, right token or not (requests without a token are not counted),
 * so guessing runs at a few tries an hour instead of thousands a second. A console session (signed cookie) must
 * also send its CSRF token on anything but GET/HEAD/OPTIONS.
 */
export function createOperatorAuth(options: {
  operators: readonly OperatorToken[];
  now: () => number;
  /** Where wrong tokens are counted: shared by the replicas on PostgreSQL, so guessing can't spread over them. */
  limits: RateLimits;
  revocations: SessionRevocationStore;
}): OperatorAuth {
  const known = options.operators.map((operator) => ({ ...operator, hash: digest(operator.token) }));
  const failures = options.limits.limiter({
    name: "admin-failures",
    points: adminFailureLimit.failures,
    durationS: adminFailureLimit.windowS,
    blockDurationS: adminFailureLimit.blockS,
  });
  const throttled = (reply: FastifyReply, rejection: { msBeforeNext: number }) => {
    const seconds = secondsToWait(rejection);
    const msBeforeNext = rejection.msBeforeNext;
    void reply.header("retry-after", String(seconds));
    return new AppError(
      "RATE_LIMITED",
      `Too many wrong admin tokens from this address; try again in ${seconds} s`,
      {
        details: { retryAfterMs: msBeforeNext },
      },
    );
  };
  const refuseIfDisabled = () => {
    if (known.length === 0) {
      throw new AppError(
        "ADMIN_DISABLED",
        "Admin routes are disabled: set ADMIN_TOKEN or ADMIN_TOKENS to enable them",
      );
    }
  };
  const refuseIfBlocked = async (request: FastifyRequest, reply: FastifyReply) => {
    const record = await failures.get(request.ip);
    if (record !== null && record.consumedPoints > adminFailureLimit.failures) throw throttled(reply, record);
  };
  const identify = (token: string) => {
    const presented = digest(token);
    let found: OperatorToken | undefined;
    // No early exit: every token is compared, so timing doesn't tell which one (or whether any) matched.
    for (const operator of known) if (timingSafeEqual(presented, operator.hash) && !found) found = operator;
    return found;
  };
  const checkToken = async (request: FastifyRequest, reply: FastifyReply, token: string) => {
    refuseIfDisabled();
    await refuseIfBlocked(request, reply);
    const operator = identify(token.trim());
    if (operator) return { name: operator.name, token: operator.token };
    const counted = await consumeOne(failures, request.ip);
    if (!counted.admitted) throw throttled(reply, counted);
    throw new AppError("UNAUTHORIZED", "A valid admin token is required (Authorization: Bearer <token>)");
  };
  const signedSessionOf = (request: FastifyRequest): SessionPayload | null => {
    const raw = request.cookies[sessionCookieName];
    if (raw === undefined || known.length === 0) return null;
    const unsigned = request.unsignCookie(raw);
    if (!unsigned.valid || unsigned.value === null) return null;
    const payload = decodeSession(unsigned.value);
    if (!payload || payload.expiresAt <= options.now()) return null;
    // A shared-token session needs ADMIN_TOKEN still configured; a named one needs its operator still listed.
    const stillValid = payload.shared
      ? known.some((operator) => operator.name === sharedTokenOperator)
      : known.some((operator) => operator.name === payload.operator);
    return stillValid ? payload : null;
  };
  const sessionOf = async (request: FastifyRequest): Promise<SessionPayload | null> => {
    const payload = signedSessionOf(request);
    if (!payload || (await options.revocations.isRevoked(payload.id))) return null;
    return payload;
  };
  const revokeSessionOf = async (request: FastifyRequest) => {
    const payload = signedSessionOf(request);
    if (payload) {
      await options.revocations.revoke({ id: payload.id, expiresAt: payload.expiresAt, now: options.now() });
    }
  };
  const isNamedOperator = (name: string) =>
    known.some(
      (operator) =>
        operator.name !== sharedTokenOperator && operator.name.toLowerCase() === name.toLowerCase(),
    );

  return {
    enabled: known.length > 0,
    checkToken,
    sessionOf,
    revokeSessionOf,
    isNamedOperator,
    async guard(request, reply) {
      refuseIfDisabled();
      const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? "");
      if (bearer) {
        const operator = await checkToken(request, reply, bearer[1]!);
        request.operator = {
          name: operator.name,
          via: "token",
          shared: operator.name === sharedTokenOperator,
        };
        return;
      }
      await refuseIfBlocked(request, reply);
      const session = await sessionOf(request);
      if (!session) {
        const expired = request.cookies[sessionCookieName] !== undefined;
        throw new AppError(
          "UNAUTHORIZED",
          expired
            ? "The console session has expired or is no longer valid: sign in again"
            : "A valid admin token is required (Authorization: Bearer <token>) or a console session",
        );
      }
      if (
        !safeMethods.has(request.method) &&
        !csrfTokenMatches(session, headerValue(request, csrfHeaderName))
      ) {
        throw new AppError(
          "CSRF_INVALID",
          `A console session must send its CSRF token in the ${csrfHeaderName} header`,
        );
      }
      request.operator = { name: session.operator, via: "session", shared: session.shared };
    },
  };
}

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
