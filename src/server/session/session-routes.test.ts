import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createServer } from "../create-server.js";
import { createHostAllowList } from "../host-allow-list.js";
import { createInMemorySessionRevocationStore } from "./in-memory-session-revocation-store.js";
import { actorOf } from "./operator-actor.js";
import { memoryRateLimits } from "../../rate-limits/rate-limits.js";

const sharedToken = "shared-admin-token-0123456789";
const aliceToken = "alice-token-0123456789abcdef";
const hour = 3_600_000;

let now = Date.parse("2026-12-06T02:00:00Z");
let server: FastifyInstance;

async function start(
  operators = [
    { name: "admin", token: sharedToken },
    { name: "alice", token: aliceToken },
  ],
) {
  server = await createServer(
    {
      operators,
      sessionTtlMs: 12 * hour,
      now: () => now,
      sessionRevocations: createInMemorySessionRevocationStore(),
      maxInputChars: 100,
      rateLimitPerMinute: 0,
      rateLimits: memoryRateLimits(),
      trustProxy: false,
      allowedHosts: createHostAllowList("", "127.0.0.1"),
      logger: false,
      version: "test",
    },
    {
      public: [],
      admin: [
        async (app) => {
          app.get("/api/admin/whoami", async (request) => ({ actor: actorOf(request) }));
          app.post<{ Body: { actor?: string } }>("/api/admin/act", async (request) => ({
            actor: actorOf(request, request.body?.actor),
          }));
        },
      ],
    },
  );
}

/** Signs in and returns the cookie header to send back and the session's CSRF token. */
async function signIn(body: Record<string, unknown>) {
  const response = await server.inject({ method: "POST", url: "/api/session", payload: body });
  expect(response.statusCode).toBe(200);
  const cookie = response.cookies.find((c) => c.name === "promptloop_session");
  expect(cookie).toBeDefined();
  return { response, cookie: `promptloop_session=${cookie!.value}`, set: cookie!, body: response.json() };
}

beforeEach(async () => {
  now = Date.parse("2026-12-06T02:00:00Z");
  await start();
});
afterEach(async () => server.close());

describe("console sessions", () => {
  it("exchanges a named token for an HttpOnly, SameSite=Strict cookie with an expiry, and records that name", async () => {
    const { set, body, cookie } = await signIn({ token: aliceToken, name: "mallory" });
    expect(set).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/api", maxAge: 12 * 3600 });
    expect(body).toMatchObject({ operator: "alice", shared: false, expiresAt: "2026-12-06T14:00:00.000Z" });
    expect(typeof body.csrfToken).toBe("string");
    const whoami = await server.inject({ url: "/api/admin/whoami", headers: { cookie } });
    expect(whoami.json()).toEqual({ actor: "console:alice" });
    const again = await server.inject({ url: "/api/session", headers: { cookie } });
    expect(again.json()).toMatchObject({ operator: "alice", expiresAt: "2026-12-06T14:00:00.000Z" });
  });

  it("lets the shared token declare a name, but not a named operator's", async () => {
    const { body } = await signIn({ token: sharedToken, name: "bob" });
    expect(body).toMatchObject({ operator: "bob", shared: true });
    const taken = await server.inject({
      method: "POST",
      url: "/api/session",
      payload: { token: sharedToken, name: "Alice" },
    });
    expect(taken.statusCode).toBe(400);
    expect(taken.json().error.code).toBe("VALIDATION_FAILED");
    expect((await signIn({ token: sharedToken })).body.operator).toBe("admin");
  });

  it("requires the CSRF token on state-changing requests made with the cookie", async () => {
    const { cookie, body } = await signIn({ token: aliceToken });
    const without = await server.inject({
      method: "POST",
      url: "/api/admin/act",
      headers: { cookie },
      payload: {},
    });
    expect(without.statusCode).toBe(403);
    expect(without.json().error.code).toBe("CSRF_INVALID");
    const forged = await server.inject({
      method: "POST",
      url: "/api/admin/act",
      headers: { cookie, "x-csrf-token": "forged-token" },
      payload: {},
    });
    expect(forged.json().error.code).toBe("CSRF_INVALID");
    const ok = await server.inject({
      method: "POST",
      url: "/api/admin/act",
      headers: { cookie, "x-csrf-token": body.csrfToken },
      payload: { actor: "someone-else" },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ actor: "console:alice" });
  });

  it("refuses an expired, tampered or foreign cookie, and signing out clears it", async () => {
    const { cookie, set } = await signIn({ token: aliceToken });
    const [value, signature] = [
      set.value.slice(0, set.value.lastIndexOf(".")),
      set.value.slice(set.value.lastIndexOf(".")),
    ];
    const payload = JSON.parse(Buffer.from(value, "base64url").toString());
    const tampered = Buffer.from(JSON.stringify({ ...payload, operator: "admin" })).toString("base64url");
    const forged = await server.inject({
      url: "/api/admin/whoami",
      headers: { cookie: `promptloop_session=${tampered}${signature}` },
    });
    expect(forged.statusCode).toBe(401);

    now += 12 * hour;
    const expired = await server.inject({ url: "/api/admin/whoami", headers: { cookie } });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.message).toMatch(/expired/);
    now -= 12 * hour;

    const out = await server.inject({ method: "DELETE", url: "/api/session", headers: { cookie } });
    expect(out.statusCode).toBe(204);
    const cleared = out.cookies.find((c) => c.name === "promptloop_session");
    expect(cleared?.value).toBe("");

    // Rotating the tokens (another signing key) ends every session.
    await server.close();
    await start([{ name: "alice", token: "alice-rotated-token-0123456789" }]);
    expect((await server.inject({ url: "/api/admin/whoami", headers: { cookie } })).statusCode).toBe(401);
  });

  it("keeps Bearer tokens working: a named token records its name, the shared one the declared actor", async () => {
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    const named = await server.inject({
      method: "POST",
      url: "/api/admin/act",
      headers: bearer(aliceToken),
      payload: { actor: "x" },
    });
    expect(named.json()).toEqual({ actor: "api:alice" });
    const shared = await server.inject({
      method: "POST",
      url: "/api/admin/act",
      headers: bearer(sharedToken),
      payload: { actor: "ci" },
    });
    expect(shared.json()).toEqual({ actor: "api:ci" });
    expect((await server.inject({ url: "/api/admin/whoami", headers: bearer(sharedToken) })).json()).toEqual({
      actor: "api:admin",
    });
  });

  it("counts wrong sign-in tokens like wrong Bearer tokens and answers 4xx for bad bodies", async () => {
    const bad = await server.inject({ method: "POST", url: "/api/session", payload: { token: 5 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe("VALIDATION_FAILED");
    for (let attempt = 0; attempt < 10; attempt++) {
      const wrong = await server.inject({
        method: "POST",
        url: "/api/session",
        payload: { token: `wrong-${attempt}` },
      });
      expect(wrong.statusCode).toBe(401);
    }
    const eleventh = await server.inject({
      method: "POST",
      url: "/api/session",
      payload: { token: "wrong-11" },
    });
    expect(eleventh.statusCode).toBe(429);
    const blocked = await server.inject({
      method: "POST",
      url: "/api/session",
      payload: { token: aliceToken },
    });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers["retry-after"]).toBeDefined();
    const unauthenticated = await server.inject({ url: "/api/session" });
    expect(unauthenticated.statusCode).toBe(401);
  });

  it("refuses everything while no token is configured", async () => {
    await server.close();
    await start([]);
    const response = await server.inject({
      method: "POST",
      url: "/api/session",
      payload: { token: aliceToken },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe("ADMIN_DISABLED");
  });
});
