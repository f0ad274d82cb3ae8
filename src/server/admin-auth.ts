import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { AppError } from "../errors.js";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * A preHandler for admin routes: refuses everything while no ADMIN_TOKEN is configured, and compares bearer
 * tokens in constant time (both sides hashed first so their lengths can't leak either).
 */
export function createAdminGuard(adminToken: string | undefined) {
  const expected = adminToken === undefined ? undefined : digest(adminToken);
  return async (request: FastifyRequest): Promise<void> => {
    if (!expected) {
      throw new AppError("ADMIN_DISABLED", "Admin routes are disabled: set ADMIN_TOKEN to enable them");
    }
    const header = request.headers.authorization ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match || !timingSafeEqual(digest(match[1]!.trim()), expected)) {
      throw new AppError(
        "UNAUTHORIZED",
        "A valid admin token is required (Authorization: Bearer <ADMIN_TOKEN>)",
      );
    }
  };
}
