import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { AppError } from "../errors.js";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * An onRequest hook for the /v1 routes: with API_KEYS set, `Authorization: Bearer <one of them>` is required before
 * anything else runs (401 UNAUTHORIZED otherwise). Without API_KEYS the routes are as open as /api/chat.
 */
export function createApiKeyGuard(keys: readonly string[]) {
  const digests = keys.map(digest);
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (digests.length === 0) return;
    const header = request.headers.authorization ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    // Compared as digests, in constant time, against every key: the time taken tells nothing about a key.
    const given = digest(match?.[1] ?? "");
    let known = false;
    for (const key of digests) known = timingSafeEqual(key, given) || known;
    if (!match || !known) {
      throw new AppError(
        "UNAUTHORIZED",
        match ? "Incorrect API key" : "An API key is required: Authorization: Bearer <key> (API_KEYS)",
      );
    }
  };
}
