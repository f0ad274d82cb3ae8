import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/server/create-app.js";
import { adminHeaders, startTestApp } from "../support/test-app.js";

/** Issue 17 §5 and §7: cross-site writes, DNS rebinding, admin auth order and throttling, JSON depth, headers. */
let app: App;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const evil = "https://evil.example";

describe("cross-site writes", () => {
  it.each(["/api/sentiment", "/api/chat"])("refuses a text/plain body on %s (415)", async (url) => {
    // Without Origin, so that the parser itself is tested (with a foreign one the Origin check answers first).
    const res = await app.server.inject({
      method: "POST",
      url,
      headers: { "content-type": "text/plain" },
      payload: JSON.stringify({ text: "好", messages: [{ role: "user", content: "你好" }] }),
    });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ error: { code: "UNSUPPORTED_MEDIA_TYPE" } });
  });

  it("refuses a write whose Origin is another site, JSON or beacon alike", async () => {
    for (const contentType of ["application/json", "text/plain"]) {
      const res = await app.server.inject({
        method: "POST",
        url: "/api/feedback",
        headers: { "content-type": contentType, origin: evil },
        payload: JSON.stringify({ interactionId: "x", type: "exit" }),
      });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: "ORIGIN_NOT_ALLOWED" } });
    }
    const json = await app.server.inject({
      method: "POST",
      url: "/api/sentiment",
      headers: { origin: evil },
      payload: { text: "好" },
    });
    expect(json.json()).toMatchObject({ error: { code: "ORIGIN_NOT_ALLOWED" } });
  });

  it("takes a write from its own origin, and from clients that send no Origin", async () => {
    const own = await app.server.inject({
      method: "POST",
      url: "/api/sentiment",
      headers: { host: "127.0.0.1:8080", origin: "http://127.0.0.1:8080" },
      payload: { text: "好" },
    });
    expect(own.statusCode).toBe(200);
    const curl = await app.server.inject({ method: "POST", url: "/api/sentiment", payload: { text: "好" } });
    expect(curl.statusCode).toBe(200);
  });
});

describe("Host allow-list (DNS rebinding)", () => {
  it("refuses a host name it was not told about, before running the model", async () => {
    const res = await app.server.inject({
      method: "POST",
      url: "/api/sentiment",
      headers: { host: "rebind.evil.example:8080" },
      payload: { text: "好" },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: "HOST_NOT_ALLOWED" } });
    expect(
      (await app.server.inject({ url: "/api/health", headers: { host: "evil.example" } })).statusCode,
    ).toBe(403);
  });

  it.each(["localhost:8080", "127.0.0.1:8080", "[::1]:8080", "192.168.1.20"])(
    "serves Host %s",
    async (host) => {
      expect((await app.server.inject({ url: "/api/health", headers: { host } })).statusCode).toBe(200);
    },
  );
});

describe("admin auth comes first", () => {
  it("answers 401 to an unauthenticated request before parsing or validating its body", async () => {
    for (const payload of [{}, "{not json"]) {
      const res = await app.server.inject({
        method: "POST",
        url: "/api/admin/prompts",
        headers: { "content-type": "application/json" },
        payload,
      });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: { code: "UNAUTHORIZED" } });
      expect(res.body).not.toMatch(/body|property|task|JSON/);
    }
  });

  it("says nothing about which admin paths exist", async () => {
    const res = await app.server.inject({ method: "GET", url: "/api/admin/no-such-route" });
    expect(res.statusCode).toBe(401);
  });

  it("says nothing about which admin paths exist whatever body it is sent", async () => {
    // Before, a body sent to an unknown admin path was parsed before the 404 handler's auth check: a known path
    // answered 401 and an unknown one 400 INVALID_JSON / JSON_TOO_DEEP, so the routes could be listed without a token.
    for (const payload of ["{not json", `{"a": ${"[".repeat(100)}${"]".repeat(100)}}`, "{}"]) {
      const res = await app.server.inject({
        method: "POST",
        url: "/api/admin/no-such-route",
        headers: { "content-type": "application/json" },
        payload,
      });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: { code: "UNAUTHORIZED" } });
    }
    const withToken = await app.server.inject({
      method: "POST",
      url: "/api/admin/no-such-route",
      headers: { ...adminHeaders, "content-type": "application/json" },
      payload: "{}",
    });
    expect(withToken.statusCode).toBe(404);
  });

  it("blocks an address after 10 wrong tokens, even when it then sends the right one", async () => {
    const attempt = (token: string, remoteAddress = "10.9.9.9") =>
      app.server.inject({
        method: "GET",
        url: "/api/admin/export",
        headers: { authorization: `Bearer ${token}` },
        remoteAddress,
      });
    for (let i = 0; i < 10; i++) expect((await attempt(`wrong-token-guess-${i}`)).statusCode).toBe(401);
    const blocked = await attempt("wrong-token-guess-10");
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json()).toMatchObject({ error: { code: "RATE_LIMITED" } });
    expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(60);
    expect((await attempt(adminHeaders.authorization.slice(7))).statusCode).toBe(429);
    // Other addresses are not affected.
    expect((await attempt(adminHeaders.authorization.slice(7), "10.9.9.10")).statusCode).toBe(200);
  });
});

describe("JSON depth", () => {
  it("refuses a megabyte of '[' without parsing it", async () => {
    const res = await app.server.inject({
      method: "POST",
      url: "/api/sentiment",
      headers: { "content-type": "application/json" },
      payload: "[".repeat(1024 * 1024),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: "JSON_TOO_DEEP", details: { maxDepth: 32 } } });
  });

  it("refuses valid but deeply nested JSON, on the beacon parser too", async () => {
    const deep = `{"text": ${"[".repeat(100)}1${"]".repeat(100)}}`;
    for (const [url, contentType] of [
      ["/api/sentiment", "application/json"],
      ["/api/feedback", "text/plain"],
    ] as const) {
      const res = await app.server.inject({
        method: "POST",
        url,
        headers: { "content-type": contentType },
        payload: deep,
      });
      expect(res.json()).toMatchObject({ error: { code: "JSON_TOO_DEEP" } });
    }
  });

  it("still parses ordinary bodies, and refuses prototype poisoning", async () => {
    const poisoned = await app.server.inject({
      method: "POST",
      url: "/api/sentiment",
      headers: { "content-type": "application/json" },
      payload: '{"text": "好", "__proto__": {"admin": true}}',
    });
    expect(poisoned.statusCode).toBe(400);
  });
});

describe("security headers", () => {
  it("sends a strict CSP and the usual hardening headers with the web app and the API", async () => {
    for (const url of ["/", "/api/health"]) {
      const res = await app.server.inject({ url });
      const csp = String(res.headers["content-security-policy"]);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain("unsafe-inline");
      expect(csp).not.toContain("upgrade-insecure-requests");
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["referrer-policy"]).toBe("no-referrer");
      expect(res.headers["x-frame-options"]).toBe("SAMEORIGIN");
    }
  });

  it("gives an HTML report a policy that lets nothing run and only its own style apply", async () => {
    const run = await app.server.inject({
      method: "POST",
      url: "/api/admin/analyze?replay=false",
      headers: adminHeaders,
    });
    const reportId = run.json<{ reportId: string }>().reportId;
    const res = await app.server.inject({
      url: `/api/admin/reports/${reportId}?format=html`,
      headers: adminHeaders,
    });
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    const csp = String(res.headers["content-security-policy"]);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toMatch(/script-src|unsafe-inline/);
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
  });
});
