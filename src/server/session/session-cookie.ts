import { createHmac, randomBytes } from "node:crypto";
import Tokens from "@fastify/csrf";
import type { CookieSerializeOptions } from "@fastify/cookie";
import type { FastifyRequest } from "fastify";
import type { OperatorToken } from "../../operators/operator-tokens.js";

/** The console's session cookie: HttpOnly, SameSite=Strict, only sent to the API. */
export const sessionCookieName = "promptloop_session";

/** The header a signed-in console sends its CSRF token in on every state-changing admin request. */
export const csrfHeaderName = "x-csrf-token";

/** What the signed session cookie carries; nothing in it is secret except to forgers (it is signed, not encrypted). */
export interface SessionPayload {
  /** Random and unique per sign-in: what sign-out revokes on the server (SessionRevocationStore). */
  id: string;
  /** The operator's name: a named token's, or the one given at sign-in with the shared ADMIN_TOKEN. */
  operator: string;
  /** Signed in with the shared ADMIN_TOKEN (the name was declared, not proven). */
  shared: boolean;
  /** Epoch ms after which the session is refused. */
  expiresAt: number;
  /** The CSRF secret of this session; tokens derived from it go in the x-csrf-token header. */
  csrfSecret: string;
}

const csrfTokens = Tokens();

/**
 * The key that signs session cookies, derived from every operator token. Each replica with the same tokens derives
 * the same key, so a session works across replicas without a shared store; rotating any token signs everyone out.
 */
export function sessionSigningKey(operators: readonly OperatorToken[]): string {
  const material = operators
    .map((operator) => `${operator.name}\u0000${operator.token}`)
    .sort()
    .join("\u0001");
  return createHmac("sha256", "promptloop session cookie v1").update(material).digest("base64url");
}

export function newSessionPayload(
  operator: string,
  shared: boolean,
  now: number,
  ttlMs: number,
): SessionPayload {
  return {
    id: randomBytes(16).toString("base64url"),
    operator,
    shared,
    expiresAt: now + ttlMs,
    csrfSecret: csrfTokens.secretSync(),
  };
}

export const encodeSession = (payload: SessionPayload) =>
  Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");

/**
 * The payload of a session cookie whose signature checked out, or null when it is malformed (a cookie signed before
 * sessions had ids counts as malformed: its operator signs in once more).
 */
export function decodeSession(value: string): SessionPayload | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    if (typeof parsed !== "object" || parsed === null) return null;
    const { id, operator, shared, expiresAt, csrfSecret } = parsed as Record<string, unknown>;
    if (typeof id !== "string" || id === "") return null;
    if (typeof operator !== "string" || typeof shared !== "boolean") return null;
    if (typeof expiresAt !== "number" || typeof csrfSecret !== "string") return null;
    return { id, operator, shared, expiresAt, csrfSecret };
  } catch {
    return null;
  }
}

export const csrfTokenFor = (payload: SessionPayload) => csrfTokens.create(payload.csrfSecret);

export const csrfTokenMatches = (payload: SessionPayload, token: string | undefined) =>
  token !== undefined && token !== "" && csrfTokens.verify(payload.csrfSecret, token);

/** Cookie attributes: Secure whenever the request came over HTTPS (directly or, with TRUST_PROXY, via a proxy). */
export function sessionCookieOptions(request: FastifyRequest, maxAgeS: number): CookieSerializeOptions {
  return {
    httpOnly: true,
    sameSite: "strict",
    secure: request.protocol === "https",
    path: "/api",
    maxAge: maxAgeS,
    signed: true,
  };
}
