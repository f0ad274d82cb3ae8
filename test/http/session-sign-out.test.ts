import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../src/server/create-app.js";
import { listenOnFreePort, makeTempDir, startTestApp, testAdminToken } from "../support/test-app.js";

/** A signed-in console over real HTTP: its cookie header and CSRF token. */
async function signIn(base: string, name: string) {
  const response = await fetch(`${base}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token: testAdminToken, name }),
  });
  expect(response.status).toBe(200);
  const cookie = response.headers.getSetCookie()[0]!.split(";")[0]!;
  expect(cookie).toMatch(/^promptloop_session=/);
  return cookie;
}

const admin = (base: string, cookie: string) =>
  fetch(`${base}/api/admin/dashboard`, { headers: { cookie } }).then(async (response) => ({
    status: response.status,
    body: (await response.json()) as { error?: { code: string; message: string } },
  }));

const session = (base: string, cookie: string) =>
  fetch(`${base}/api/session`, { headers: { cookie } }).then((response) => response.status);

describe("console sign-out revokes the session on the server", () => {
  let app: App;
  let dataDir: string;
  let base: string;
  let signedOut: string;
  let other: string;

  beforeAll(async () => {
    // DATA_DIR given: a restart on it reopens the same database (SQLite file, or the same PostgreSQL database).
    dataDir = await makeTempDir();
    app = await startTestApp({ DATA_DIR: dataDir });
    base = await listenOnFreePort(app);
  });
  afterAll(() => app?.close());

  it("refuses a copy of the cookie taken before sign-out, and leaves other sessions signed in", async () => {
    signedOut = await signIn(base, "alice");
    other = await signIn(base, "bob");
    expect((await admin(base, signedOut)).status).toBe(200);

    const out = await fetch(`${base}/api/session`, { method: "DELETE", headers: { cookie: signedOut } });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie()[0]).toMatch(/^promptloop_session=;/);

    // The stolen copy: the same cookie sent again after sign-out.
    const refused = await admin(base, signedOut);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await session(base, signedOut)).toBe(401);
    expect((await admin(base, other)).status).toBe(200);
    expect(await session(base, other)).toBe(200);
  });

  it("keeps refusing it after a restart on the same database (the revocation is stored, not remembered)", async () => {
    await app.close();
    app = await startTestApp({ DATA_DIR: dataDir });
    base = await listenOnFreePort(app);
    expect((await admin(base, signedOut)).status).toBe(401);
    expect((await admin(base, other)).status).toBe(200);
  });

  it("signing out without a session, or twice, only clears the cookie", async () => {
    const twice = await fetch(`${base}/api/session`, { method: "DELETE", headers: { cookie: signedOut } });
    expect(twice.status).toBe(204);
    const none = await fetch(`${base}/api/session`, { method: "DELETE" });
    expect(none.status).toBe(204);
  });
});
