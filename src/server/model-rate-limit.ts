import type { FastifyInstance } from "fastify";
import { AppError } from "../errors.js";
import { consumeOne, secondsToWait, type RateLimits } from "../rate-limits/rate-limits.js";

/**
 * Limits the routes that run the model (marked `config: {modelBacked: true}`) to `perMinute` requests per client
 * address: one client can't keep the cores busy for everyone else. Everything else stays unlimited, feedback above
 * all (it has its own budget): a beacon sent while a page closes cannot be retried. Counted in `onRequest`, before the
 * body is read. Limited routes answer with `x-ratelimit-limit`, `-remaining` and `-reset` (seconds).
 */
export function registerModelRateLimit(app: FastifyInstance, limits: RateLimits, perMinute: number): void {
  const limiter = limits.limiter({ name: "model", points: perMinute, durationS: 60 });
  app.addHook("onRequest", async (request, reply) => {
    if (request.routeOptions.config.modelBacked !== true) return;
    const counted = await consumeOne(limiter, request.ip);
    const seconds = secondsToWait(counted);
    void reply.headers({
      "x-ratelimit-limit": perMinute,
      "x-ratelimit-remaining": counted.remaining,
      "x-ratelimit-reset": seconds,
    });
    if (!counted.admitted) {
      throw new AppError(
        "RATE_LIMITED",
        `Too many requests to the model from this address: at most ${perMinute} a minute. Try again in ${seconds} s.`,
        { details: { limitPerMinute: perMinute, retryAfterMs: counted.msBeforeNext } },
      );
    }
  });
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** The route runs the model: it counts against RATE_LIMIT_PER_MINUTE. */
    modelBacked?: boolean;
  }
}
