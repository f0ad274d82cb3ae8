import path from "node:path";
import { beforeAll, expect, it } from "vitest";
import { FakeLlmBackend } from "../../src/engine/fake-llm-backend.js";
import { databaseFileName } from "../../src/storage/sqlite/open-sqlite-database.js";
import {
  createPostgresTestDatabase,
  describeOnPostgres,
} from "../support/postgres/postgres-test-database.js";
import { cli, requireBuiltCli } from "../support/run-cli.js";
import { adminHeaders, makeTempDir, startTestApp } from "../support/test-app.js";

beforeAll(requireBuiltCli);

/** Issue 15: `promptloop migrate-data` copies a SQLite install into PostgreSQL, and its checksums show nothing lost. */
describeOnPostgres("migrate-data from SQLite to PostgreSQL", () => {
  it("copies every table, proves it with checksums, and the service carries on from PostgreSQL", async () => {
    const dataDir = await makeTempDir();
    let app = await startTestApp(
      { DATA_DIR: dataDir, AUTO_START_CANARY: "false" },
      { backend: new FakeLlmBackend() },
    );
    const inject = (method: "GET" | "POST", url: string, payload?: object, admin = false) =>
      app.server.inject({
        method,
        url,
        ...(payload && { payload }),
        ...(admin && { headers: adminHeaders }),
      });
    let beforeMove: { interactionId: string; feedbackToken: string } | null = null;
    for (let i = 0; i < 120; i++) {
      const answer = (
        await inject("POST", "/api/sentiment", { text: `第${i}条评论`, sessionId: `s${i % 7}` })
      ).json<{
        interactionId: string;
        feedbackToken: string;
      }>();
      await inject("POST", "/api/feedback", {
        interactionId: answer.interactionId,
        feedbackToken: answer.feedbackToken,
        type: "label_correct",
        label: "负面",
      });
      beforeMove = { interactionId: answer.interactionId, feedbackToken: answer.feedbackToken };
    }
    await inject("POST", "/api/chat", { messages: [{ role: "user", content: "你好" }], stream: false });
    await inject(
      "POST",
      "/api/admin/prompts",
      { task: "sentiment", version: "v7", system: "只输出'正面'或'负面'。" },
      true,
    );
    expect(
      (await inject("POST", "/api/admin/prompts/sentiment@v7/start-canary", { reason: "m" }, true))
        .statusCode,
    ).toBe(200);
    expect((await inject("POST", "/api/admin/analyze", {}, true)).statusCode).toBeLessThan(300);
    const before = (await inject("GET", "/api/admin/export", undefined, true)).body;
    await app.close();

    const target = await createPostgresTestDatabase();
    try {
      const from = `sqlite:${path.join(dataDir, databaseFileName)}`;
      const migrated = await cli(["migrate-data", "--from", from, "--to", target.url, "--json"]);
      expect(migrated.code, migrated.stderr).toBe(0);
      const report = JSON.parse(migrated.stdout) as {
        matched: boolean;
        tables: { table: string; rows: number; match: boolean }[];
      };
      expect(report.matched).toBe(true);
      const rows = Object.fromEntries(report.tables.map((t) => [t.table, t.rows]));
      expect(rows).toMatchObject({ interactions: 121, feedback_events: 120, experiments: 1 });
      expect(rows.rollout_decisions).toBeGreaterThan(0);
      expect(rows.analysis_runs).toBeGreaterThan(0);
      expect(migrated.stdout).not.toContain("s3cret");

      // Into a database that already has data: refused, nothing changed.
      const again = await cli(["migrate-data", "--from", from, "--to", target.url]);
      expect(again.code).not.toBe(0);
      expect(again.stderr).toMatch(/migrate into an empty database/);

      app = await startTestApp(
        { DATA_DIR: dataDir, DATABASE_URL: target.url },
        { backend: new FakeLlmBackend() },
      );
      try {
        expect((await inject("GET", "/api/admin/export", undefined, true)).body).toBe(before);
        const answer = (await inject("POST", "/api/sentiment", { text: "迁移之后" })).json<{
          interactionId: string;
          feedbackToken: string;
        }>();
        const feedback = await inject("POST", "/api/feedback", {
          interactionId: answer.interactionId,
          feedbackToken: answer.feedbackToken,
          type: "copy",
        });
        expect(feedback.statusCode).toBe(202);
        // Generated ids continue after the copied ones.
        expect(feedback.json<{ feedbackId: number }>().feedbackId).toBe(121);
        // A feedbackToken given before the move still holds: its key comes from the salt, which moved along.
        const late = await inject("POST", "/api/feedback", {
          ...beforeMove!,
          type: "label_confirm",
          correct: false,
        });
        expect(late.statusCode, late.body).toBe(202);
      } finally {
        await app.close();
      }
    } finally {
      await target.drop();
    }
  }, 180_000);
});
