import type { FastifyRequest } from "fastify";
import { sharedTokenOperator } from "../../operators/operator-tokens.js";

/**
 * The actor recorded for an admin action: `console:<name>` for a console session, `api:<name>` for a Bearer token.
 * A named token's name always wins; only the shared ADMIN_TOKEN may name who acts (the body's or query's `actor`,
 * kept for scripts written before named tokens).
 */
export function actorOf(request: FastifyRequest, declared?: string): string {
  const operator = request.operator;
  if (!operator) return `api:${declared ?? sharedTokenOperator}`;
  if (operator.via === "session") return `console:${operator.name}`;
  return `api:${operator.shared ? (declared ?? operator.name) : operator.name}`;
}
