import type { FastifyInstance } from "fastify";
import { AppError } from "../../errors.js";
import { operatorNamePattern, sharedTokenOperator } from "../../operators/operator-tokens.js";
import type { OperatorAuth } from "./operator-auth.js";
import {
  csrfHeaderName,
  csrfTokenFor,
  encodeSession,
  newSessionPayload,
  sessionCookieName,
  sessionCookieOptions,
  type SessionPayload,
} from "./session-cookie.js";

const sessionView = {
  type: "object",
  required: ["operator", "shared", "expiresAt", "csrfToken", "csrfHeader"],
  properties: {
    operator: { type: "string", description: "recorded as console:<operator> on every action" },
    shared: { type: "boolean", description: "signed in with the shared ADMIN_TOKEN (the name was declared)" },
    expiresAt: { type: "string", format: "date-time" },
    csrfToken: {
      type: "string",
      description: "send it in the csrfHeader on every state-changing admin request",
    },
    csrfHeader: { type: "string" },
  },
  examples: [
    {
      operator: "alice",
      shared: false,
      expiresAt: "2026-12-06T14:00:00.000Z",
      csrfToken: "Vq3uN1xk-8O0p2m3s4UvW5xYz6A7bC8dE9fG",
      csrfHeader: csrfHeaderName,
    },
  ],
} as const;

const view = (payload: SessionPayload) => ({
  operator: payload.operator,
  shared: payload.shared,
  expiresAt: new Date(payload.expiresAt).toISOString(),
  csrfToken: csrfTokenFor(payload),
  csrfHeader: csrfHeaderName,
});

/**
 * The console's sign-in: an admin token is exchanged for a signed, HttpOnly, SameSite=Strict cookie that expires
 * after SESSION_TTL_HOURS, so the token never sits in the browser's storage or in a URL. Bearer tokens keep working
 * on every admin route for the API and the CLI.
 */
export async function registerSessionRoutes(
  app: FastifyInstance,
  deps: { auth: OperatorAuth; ttlMs: number; now: () => number },
): Promise<void> {
  const { auth } = deps;
  app.post<{ Body: { token: string; name?: string } }>(
    "/api/session",
    {
      schema: {
        tags: ["session"],
        summary: "Sign in to the console: exchange an admin token for a session cookie",
        description:
          "A named token (ADMIN_TOKENS) signs in as its operator. The shared ADMIN_TOKEN signs in under the name " +
          "given (default admin), which may not be one of the named operators. Wrong tokens count against the " +
          "address like wrong Bearer tokens (429 after 10 in 15 minutes).",
        body: {
          type: "object",
          required: ["token"],
          additionalProperties: false,
          properties: {
            token: { type: "string", minLength: 1, maxLength: 1000 },
            name: {
              type: "string",
              pattern: operatorNamePattern.source,
              description: "who you are (shared token only)",
            },
          },
          examples: [{ token: "0123456789abcdef0123456789abcdef", name: "alice" }],
        },
        response: {
          200: sessionView,
          400: { $ref: "Error#" },
          401: { $ref: "Error#" },
          429: { $ref: "Error#" },
        },
      },
    },
    async (request, reply) => {
      const operator = await auth.checkToken(request, reply, request.body.token);
      const shared = operator.name === sharedTokenOperator;
      const name = shared ? request.body.name?.trim() || sharedTokenOperator : operator.name;
      if (shared && name !== sharedTokenOperator && auth.isNamedOperator(name)) {
        throw new AppError(
          "VALIDATION_FAILED",
          `${name} is a named operator: sign in with that operator's own token`,
        );
      }
      const payload = newSessionPayload(name, shared, deps.now(), deps.ttlMs);
      void reply.setCookie(
        sessionCookieName,
        encodeSession(payload),
        sessionCookieOptions(request, Math.floor(deps.ttlMs / 1000)),
      );
      return view(payload);
    },
  );

  app.get(
    "/api/session",
    {
      schema: {
        tags: ["session"],
        summary: "The console's current session with a fresh CSRF token (401 when not signed in)",
        response: { 200: sessionView, 401: { $ref: "Error#" } },
      },
    },
    async (request) => {
      const payload = await auth.sessionOf(request);
      if (!payload) throw new AppError("UNAUTHORIZED", "Not signed in, or the session has expired");
      return view(payload);
    },
  );

  app.delete(
    "/api/session",
    {
      schema: {
        tags: ["session"],
        summary: "Sign out: the session is revoked on the server and the browser forgets its cookie",
        description:
          "The session is recorded as signed out in the database, so a copy of the cookie taken before sign-out " +
          "is refused (401) by every replica from now on. Without a valid session it only clears the cookie. " +
          "Rotating a token in ADMIN_TOKEN/ADMIN_TOKENS ends every session at once.",
        response: { 204: { type: "null" } },
      },
    },
    async (request, reply) => {
      await auth.revokeSessionOf(request);
      void reply.clearCookie(sessionCookieName, { ...sessionCookieOptions(request, 0), signed: false });
      return reply.status(204).send();
    },
  );
}
