import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import SQLite from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../src/config.js";
import { FakeLlmBackend } from "../../src/engine/fake-llm-backend.js";
import type { GenerateRequest, GenerateStreamPart, LlmBackend } from "../../src/engine/llm-backend.js";
import { createSqlPromptStore } from "../../src/prompts/store/sql-prompt-store.js";
import { databaseFileName, openSqliteDatabase } from "../../src/storage/sqlite/open-sqlite-database.js";
import { adminHeaders, makeTempDir, parseEventStream, startTestApp } from "../support/test-app.js";

const run = promisify(execFile);

/** Issue 17, storage §3: the SQLite failures that used to pass quietly or answer 500. */
describe("SQLite faults", () => {
  it("ends a streamed reply that can't be stored with a clear error event, not a done event", async () => {
    const fake = new FakeLlmBackend({ reply: () => "这是一段回复。" });
    let onFirstToken = () => {};
    const backend: LlmBackend = {
      info: fake.info,
      countTokens: (text) => fake.countTokens(text),
      warmUp: (prefixes) => fake.warmUp(prefixes),
      dispose: () => fake.dispose(),
      classify: (request) => fake.classify(request),
      async *generate(request: GenerateRequest): AsyncIterable<GenerateStreamPart> {
        let first = true;
        for await (const part of fake.generate(request)) {
          yield part;
          if (first) onFirstToken();
          first = false;
        }
      },
    };
    const app = await startTestApp({}, { backend });
    try {
      // The disk goes read-only while the reply streams: the check before the model passed, the final write fails.
      onFirstToken = () => void app.database.sqlite!.pragma("query_only = ON");
      const response = await app.server.inject({
        method: "POST",
        url: "/api/chat",
        payload: { messages: [{ role: "user", content: "你好" }], stream: true },
      });
      const events = parseEventStream(response.body);
      expect(events.some((event) => event.event === "token")).toBe(true);
      expect(events.some((event) => event.event === "done")).toBe(false);
      expect(events.at(-1)).toMatchObject({
        event: "error",
        data: { error: { code: "STORAGE_FAILED", message: expect.stringMatching(/could not be stored/) } },
      });
    } finally {
      app.database.sqlite!.pragma("query_only = OFF");
      await app.close();
    }
  });

  it("refuses to start on a damaged database file, pointing at doctor and restore", async () => {
    const dataDir = await makeTempDir();
    const app = await startTestApp({ DATA_DIR: dataDir }, { backend: new FakeLlmBackend() });
    for (let i = 0; i < 300; i++) {
      await app.server.inject({
        method: "POST",
        url: "/api/sentiment",
        payload: { text: `评论 ${i} `.repeat(20) },
      });
    }
    await app.close();
    const file = path.join(dataDir, databaseFileName);
    const size = fs.statSync(file).size;
    const fd = fs.openSync(file, "r+");
    fs.writeSync(fd, Buffer.alloc(8192, 0x5a), 0, 8192, Math.floor(size / 2 / 4096) * 4096);
    fs.closeSync(fd);
    await expect(
      startTestApp({ DATA_DIR: dataDir }, { backend: new FakeLlmBackend() }),
    ).rejects.toMatchObject({
      code: "STORAGE_FAILED",
      message: expect.stringMatching(/damaged.*promptloop doctor.*promptloop restore/s),
    });
  });

  it("answers 503 (not 500) and turns health degraded when damage shows up while serving", async () => {
    const dataDir = await makeTempDir();
    const app = await startTestApp({ DATA_DIR: dataDir }, { backend: new FakeLlmBackend() });
    try {
      for (let i = 0; i < 300; i++) {
        await app.server.inject({
          method: "POST",
          url: "/api/sentiment",
          payload: { text: `评论 ${i} `.repeat(20) },
        });
      }
      const sqlite = app.database.sqlite!;
      sqlite.pragma("wal_checkpoint(TRUNCATE)");
      const file = path.join(dataDir, databaseFileName);
      const size = fs.statSync(file).size;
      const fd = fs.openSync(file, "r+");
      // Every page after the schema page: whichever pages the tables and indexes landed on (the layout changes with
      // each migration), the export and the dashboard read damaged ones.
      const pageSize = Number(sqlite.pragma("page_size", { simple: true }));
      fs.writeSync(fd, Buffer.alloc(size - pageSize, 0x5a), 0, size - pageSize, pageSize);
      fs.closeSync(fd);
      // Drop SQLite's page cache, as a restart or memory pressure would.
      sqlite.pragma("shrink_memory");
      const exported = await app.server.inject({
        method: "GET",
        url: "/api/admin/export",
        headers: adminHeaders,
      });
      const dashboard = await app.server.inject({
        method: "GET",
        url: "/api/admin/dashboard",
        headers: adminHeaders,
      });
      for (const response of [exported, dashboard]) {
        expect(response.statusCode).not.toBe(500);
      }
      const failed = [exported, dashboard].filter((response) => response.statusCode !== 200);
      expect(failed.length).toBeGreaterThan(0);
      for (const response of failed) {
        expect(response.statusCode).toBe(503);
        expect(response.json()).toMatchObject({ error: { code: "STORAGE_FAILED" } });
      }
      const health = await app.server.inject({ method: "GET", url: "/api/health" });
      expect(health.statusCode).toBe(503);
      expect(health.json()).toMatchObject({
        status: "degraded",
        storage: { writable: false, lastError: { kind: "corrupt" } },
      });
    } finally {
      await app.close();
    }
  });

  it("lets two processes write one DATA_DIR without 'database is locked' (BEGIN IMMEDIATE waits its turn)", async () => {
    const file = path.join(await makeTempDir(), "shared.sqlite");
    const database = await openSqliteDatabase(file);
    const prompts = createSqlPromptStore(database.db);
    for (const version of ["v1", "v2"]) {
      await prompts.saveVersion({
        definition: {
          task: "sentiment",
          version,
          kind: "classifier",
          systemPrompt: version,
          labels: ["正面", "负面"],
        },
        source: "file",
        createdAt: 0,
      });
    }
    await database.close();
    const race = async () => {
      const env = { PATH: process.env.PATH ?? "", DB_FILE: file, MOVES: "300" };
      const script = path.join(packageRoot, "test", "support", "sqlite-label-mover.ts");
      const outputs = await Promise.all(
        [1, 2].map(() => run(process.execPath, ["--import", "tsx", script], { cwd: packageRoot, env })),
      );
      return outputs.map(
        ({ stdout }) => JSON.parse(stdout.trim().split("\n").at(-1)!) as { moved: number; errors: string[] },
      );
    };
    // The old, deferred transactions: a read snapshot that another connection wrote past can't be upgraded to a
    // write (SQLITE_BUSY_SNAPSHOT at once, busy_timeout or not). Shown deterministically on two connections.
    const reader = new SQLite(file);
    const writer = new SQLite(file);
    reader.pragma("busy_timeout = 1000");
    const write = "insert or replace into meta (key, value, updated_at) values ('race', ?, 0)";
    try {
      reader.exec("BEGIN");
      reader.prepare("select count(*) from meta").get();
      writer.prepare(write).run("writer");
      expect(() => reader.prepare(write).run("reader")).toThrow(
        expect.objectContaining({ code: "SQLITE_BUSY_SNAPSHOT" }),
      );
      reader.exec("ROLLBACK");
    } finally {
      reader.close();
      writer.close();
    }
    // BEGIN IMMEDIATE: every move waits for the write lock and succeeds.
    const immediate = await race();
    expect(immediate).toEqual([
      { moved: 300, errors: [] },
      { moved: 300, errors: [] },
    ]);
  }, 120_000);
});
