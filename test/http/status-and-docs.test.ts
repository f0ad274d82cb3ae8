import { afterAll, beforeAll, expect, it } from "vitest";
import type { App } from "../../src/server/create-app.js";
import { startTestApp } from "../support/test-app.js";

let app: App;
beforeAll(async () => {
  app = await startTestApp({ ADMIN_TOKEN: "" });
});
afterAll(() => app.close());

it("reports health with the model's name (not its path) and uptime", async () => {
  const res = await app.server.inject({ method: "GET", url: "/api/health" });
  const body = res.json<{
    status: string;
    model: { name: string; sizeBytes: number; loadedAt: string };
    uptimeS: number;
  }>();
  expect(body.status).toBe("ok");
  expect(body.model.name).toMatch(/^[^/]+\.gguf$/);
  expect(body.model.sizeBytes).toBeGreaterThan(1000);
  expect(Date.parse(body.model.loadedAt)).not.toBeNaN();
  expect(body.uptimeS).toBeGreaterThanOrEqual(0);
  expect(res.json()).toMatchObject({ limits: { maxInputChars: 4000, maxReplyTokens: 24 } });
});

it("lists the tasks with their active versions", async () => {
  const res = await app.server.inject({ method: "GET", url: "/api/tasks" });
  expect(res.json()).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        task: "sentiment",
        kind: "classifier",
        labels: ["正面", "负面"],
        activeVersion: "sentiment@v1",
      }),
      expect.objectContaining({ task: "chat", kind: "generator", activeVersion: "chat@v1" }),
    ]),
  );
});

it("refuses admin routes while ADMIN_TOKEN is unset, whatever the token sent", async () => {
  const res = await app.server.inject({
    method: "GET",
    url: "/api/admin/export",
    headers: { authorization: "Bearer anything-at-all-here" },
  });
  expect(res.statusCode).toBe(403);
  expect(res.json()).toMatchObject({ error: { code: "ADMIN_DISABLED" } });
});

it("serves an OpenAPI description of every route", async () => {
  const res = await app.server.inject({ method: "GET", url: "/docs/json" });
  expect(res.statusCode).toBe(200);
  const spec = res.json<{ openapi: string; paths: Record<string, unknown> }>();
  expect(spec.openapi).toMatch(/^3\./);
  for (const path of [
    "/api/sentiment",
    "/api/chat",
    "/api/analyze",
    "/api/feedback",
    "/api/health",
    "/api/admin/export",
  ]) {
    expect(Object.keys(spec.paths)).toContain(path);
  }
  const ui = await app.server.inject({ method: "GET", url: "/docs" });
  expect([200, 302]).toContain(ui.statusCode);
});
