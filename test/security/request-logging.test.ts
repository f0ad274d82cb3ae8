import { PassThrough } from "node:stream";
import { afterEach, expect, it } from "vitest";
import type { App } from "../../src/server/create-app.js";
import { startTestApp } from "../support/test-app.js";

/** Issue 17 §4: every log line kept the client address and the full URL. */
let app: App | undefined;
afterEach(() => app?.close());

async function logLinesOf(logClientAddress: "true" | "false"): Promise<Array<Record<string, unknown>>> {
  const destination = new PassThrough();
  const lines: string[] = [];
  destination.on("data", (chunk: Buffer) =>
    lines.push(...chunk.toString("utf8").split("\n").filter(Boolean)),
  );
  app = await startTestApp(
    { LOG_CLIENT_ADDRESS: logClientAddress, LOG_LEVEL: "info" },
    { logDestination: destination },
  );
  await app.server.inject({
    method: "GET",
    url: "/api/admin/reports?limit=5&token=secret-in-query",
    remoteAddress: "203.0.113.77",
  });
  await new Promise((resolve) => setImmediate(resolve));
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

it("logs no client address and no query string by default", async () => {
  const lines = await logLinesOf("false");
  const text = JSON.stringify(lines);
  expect(lines.some((line) => (line.req as { url?: string } | undefined)?.url === "/api/admin/reports")).toBe(
    true,
  );
  expect(text).not.toContain("203.0.113.77");
  expect(text).not.toContain("secret-in-query");
  expect(text).not.toContain("remoteAddress");
});

it("logs the client address with LOG_CLIENT_ADDRESS=true, still without the query", async () => {
  const lines = await logLinesOf("true");
  const text = JSON.stringify(lines);
  expect(text).toContain('"remoteAddress":"203.0.113.77"');
  expect(text).not.toContain("secret-in-query");
});
