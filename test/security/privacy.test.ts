import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { FakeLlmBackend } from "../../src/engine/fake-llm-backend.js";
import type { App } from "../../src/server/create-app.js";
import { adminHeaders, startTestApp } from "../support/test-app.js";

/** Issue 17 §4: replies stored and exported in clear, a world-readable database, a model path in health. */
let app: App & { dataDir: string };
beforeAll(async () => {
  const backend = new FakeLlmBackend({
    reply: () => "请拨打 +44 20 7946 0958 或发邮件到 help@example.com，卡号 4111 1111 1111 1111",
  });
  app = await startTestApp({ MAX_REPLY_TOKENS: 200 }, { backend });
});
afterAll(() => app.close());

it("stores and exports replies masked like inputs", async () => {
  const res = await app.server.inject({
    method: "POST",
    url: "/api/chat",
    payload: { messages: [{ role: "user", content: "我的电话是 13812345678" }], stream: false },
  });
  const { interactionId, reply } = res.json<{ interactionId: string; reply: string }>();
  // The user sees the model's answer as it was.
  expect(reply).toContain("help@example.com");
  const stored = await app.stores.interactions.get(interactionId);
  expect(stored?.input).toBe("我的电话是 [phone]");
  expect(stored?.output).toBe("请拨打 [phone] 或发邮件到 [email]，卡号 [card]");
  const exported = await app.server.inject({ url: "/api/admin/export", headers: adminHeaders });
  expect(exported.body).toContain("[card]");
  expect(exported.body).not.toMatch(/help@example\.com|4111 1111|7946/);
});

it("keeps the database, its sidecars, the salt and the reports owner-only", async () => {
  await app.server.inject({ method: "POST", url: "/api/admin/analyze?replay=false", headers: adminHeaders });
  const files = fs.readdirSync(app.dataDir, { recursive: true, withFileTypes: true });
  const modes = files
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      return [path.relative(app.dataDir, file), fs.statSync(file).mode & 0o777] as const;
    });
  expect(modes.map(([name]) => name)).toEqual(
    expect.arrayContaining(["promptloop.sqlite", "promptloop.sqlite-wal", "identity-salt"]),
  );
  expect(modes.some(([name]) => name.startsWith("reports"))).toBe(true);
  for (const [name, mode] of modes) expect(mode.toString(8), name).toBe("600");
});

it("names the model in /api/health but publishes no file path", async () => {
  const res = await app.server.inject({ url: "/api/health" });
  expect(res.json()).toMatchObject({ model: { name: "fake.gguf" } });
  expect(res.body).not.toContain(app.dataDir);
  expect(res.body).not.toMatch(/"(path|location)"/);
});
