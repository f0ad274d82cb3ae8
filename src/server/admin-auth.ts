import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "../errors.js";

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Wrong admin tokens an address may send before it is blocked, and for how long it is blocked (seconds). */
export const adminFailureLimit = { failures: 10, windowS: 15 * 60, blockS: 15 * 60 } as const;

/**
 * An `onRequest` hook for admin routes, so it runs before the body is read, parsed or validated: a request without
 * the token learns nothing about the route's schema. Refuses everything while no ADMIN_TOKEN is configured and
 * compares bearer tokens in constant time (both sides hashed first so their lengths can't leak either). After
 * `adminFailureLimit.failures` wrong tokens from one address within the window, that address gets 429 for the block
 * time, right token or not (requests without a Bearer token are not counted), so guessing runs at a few tries an hour instead of thousands a second.
 */
export function createAdminGuard(adminToken: string | undefined) {
  const expected = adminToken === undefined ? undefined : digest(adminToken);
  const failures = new RateLimiterMemory({
    points: adminFailureLimit.failures,
    duration: adminFailureLimit.windowS,
    blockDuration: adminFailureLimit.blockS,
  });
  const throttled = (reply: FastifyReply, msBeforeNext: number) => {
    const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
    void reply.header("retry-after", String(seconds));
    return new AppError(
      "RATE_LIMITED",
      `Too many wrong admin tokens from this address; try again in ${seconds} s`,
      { details: { retryAfterMs: msBeforeNext } },
    );
  };
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!expected) {
      throw new AppError("ADMIN_DISABLED", "Admin routes are disabled: set ADMIN_TOKEN to enable them");
    }
    const record = await failures.get(request.ip);
    if (record !== null && record.consumedPoints > adminFailureLimit.failures) {
      throw throttled(reply, record.msBeforeNext);
    }
    const match = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? "");
    if (match && timingSafeEqual(digest(match[1]!.trim()), expected)) return;
    // Only a presented token is a guess; a request without one (a browser, a probe) costs nothing.
    if (match) {
      try {
        await failures.consume(request.ip);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) throw throttled(reply, rejection.msBeforeNext);
        throw rejection;
      }
    }
    throw new AppError(
      "UNAUTHORIZED",
      "A valid admin token is required (Authorization: Bearer <ADMIN_TOKEN>)",
    );
  };
}
