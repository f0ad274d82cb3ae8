import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { packageRoot } from "../../src/config.js";
import { createApp, type App, type AppOptions } from "../../src/server/create-app.js";
import { loadConfig, type RawConfig } from "../../src/config.js";
import { createTinyQwen2Gguf } from "./gguf/tiny-qwen2.js";
import { createPostgresTestDatabase } from "./postgres/postgres-test-database.js";

process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD = "true";

export const testAdminToken = "test-admin-token-0123456789";

export async function makeTempDir(prefix = "promptloop-test-"): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

/** A test that restarts the app on the same DATA_DIR restarts it on the same PostgreSQL database too. */
const postgresByDataDir = new Map<string, Promise<{ url: string; drop: () => Promise<void> }>>();

function postgresDatabaseFor(dataDir: string | undefined) {
  if (dataDir === undefined) return createPostgresTestDatabase();
  const existing = postgresByDataDir.get(dataDir) ?? createPostgresTestDatabase();
  postgresByDataDir.set(dataDir, existing);
  return existing;
}

/**
 * The real app (real SQLite, real node-llama-cpp on the generated tiny Qwen2 GGUF, real Fastify) in a fresh data
 * folder. One thread: on a tiny model a second thread only spins. With PROMPTLOOP_TEST_DATABASE=postgres
 * (`npm run test:postgres`), each app gets a fresh PostgreSQL database instead, dropped when the app closes.
 */
export async function startTestApp(
  overrides: Partial<RawConfig> = {},
  options: AppOptions = {},
): Promise<App & { dataDir: string }> {
  const dataDir = overrides.DATA_DIR ?? (await makeTempDir());
  const postgres =
    process.env.PROMPTLOOP_TEST_DATABASE === "postgres" && overrides.DATABASE_URL === undefined
      ? await postgresDatabaseFor(overrides.DATA_DIR)
      : null;
  const config = loadConfig(
    {},
    {
      MODEL_PATH: await createTinyQwen2Gguf(),
      DATA_DIR: dataDir,
      PROMPTS_DIR: path.join(packageRoot, "prompts"),
      ADMIN_TOKEN: testAdminToken,
      THREADS: 1,
      CONTEXT_SIZE: 1024,
      SEQUENCES: 2,
      MAX_REPLY_TOKENS: 24,
      // Tests send bursts from one address; the limiter has its own test (test/http/rate-limit.test.ts).
      RATE_LIMIT_PER_MINUTE: 0,
      FEEDBACK_RATE_LIMIT_PER_MINUTE: 0,
      ...(postgres && { DATABASE_URL: postgres.url }),
      ...overrides,
    },
  );
  // Silent unless the test reads the log.
  const app = await createApp(config, { ...(!options.logDestination && { logger: false }), ...options });
  if (postgres && overrides.DATA_DIR === undefined) {
    const close = app.close.bind(app);
    app.close = async () => {
      await close();
      await postgres.drop();
    };
  }
  return Object.assign(app, { dataDir });
}

export const adminHeaders = { authorization: `Bearer ${testAdminToken}` };

/** Parses a text/event-stream body into its events. */
export function parseEventStream(body: string): Array<{ event: string; data: unknown }> {
  return body
    .split("\n\n")
    .filter((block) => block.trim().length > 0)
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? "message";
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? "null";
      return { event, data: JSON.parse(data) as unknown };
    });
}

/** Listens on a free local port and returns the base URL, so a test talks to the app over real HTTP. */
export async function listenOnFreePort(app: App): Promise<string> {
  await app.server.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.server.address();
  if (address === null || typeof address === "string") throw new Error("not listening on TCP");
  return `http://127.0.0.1:${address.port}`;
}

/** A JSON request over real HTTP: the status and the parsed body. */
export async function requestJson<T = unknown>(
  base: string,
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T; text: string }> {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    // SSE or empty bodies stay in `text`.
  }
  return { status: response.status, body: parsed as T, text };
}
