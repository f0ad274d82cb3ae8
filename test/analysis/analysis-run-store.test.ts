import type { Kysely } from "kysely";
import { beforeEach, describe, expect, it } from "vitest";
import {
  createSqlAnalysisRunStore,
  type AnalysisRunStore,
} from "../../src/analysis/job/analysis-run-store.js";
import type { Database } from "../../src/storage/database-schema.js";
import { openSqliteDatabase } from "../../src/storage/sqlite/open-sqlite-database.js";
import { onPostgres } from "../support/postgres/on-postgres.js";

const summary = { tasks: [], drafts: [] };

function analysisRunStoreSuite(dialect: string, open: () => Promise<Kysely<Database>>): void {
  let db: Kysely<Database>;
  let runs: AnalysisRunStore;
  beforeEach(async () => {
    db = await open();
    runs = createSqlAnalysisRunStore(db);
  });

  const start = (now: number, replayed = true) =>
    runs.begin({
      trigger: "api",
      replayed,
      fingerprint: "f",
      watermarkFrom: null,
      now,
      staleAfterMs: 60_000,
    });

  describe(`the analysis run store on ${dialect}`, () => {
    it("refuses a second run while the first is alive, naming it", async () => {
      await start(1_000);
      await expect(start(2_000)).rejects.toMatchObject({ code: "CONFLICT", details: { runId: 1 } });
    });

    it("keeps the lock alive with heartbeats, and takes over a lock whose heartbeat stopped", async () => {
      const first = await start(0);
      await runs.heartbeat(first, 50_000);
      await expect(start(100_000)).rejects.toMatchObject({ code: "CONFLICT" });
      const second = await start(111_000);
      expect(second).toBe(2);
      const rows = await db.selectFrom("analysis_runs").selectAll().orderBy("id").execute();
      expect(rows.map((row) => [row.id, row.status])).toEqual([
        [1, "failed"],
        [2, "running"],
      ]);
      expect(rows[0]!.error).toMatch(/abandoned/);
    });

    it("lets exactly one of several simultaneous starts take the lock; the others get CONFLICT", async () => {
      const outcomes = await Promise.allSettled([start(1_000), start(1_000), start(1_000), start(1_000)]);
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
      for (const outcome of outcomes.filter((o) => o.status === "rejected")) {
        expect(outcome.reason).toMatchObject({ code: "CONFLICT" });
      }
      const running = await db
        .selectFrom("analysis_runs")
        .select("id")
        .where("status", "=", "running")
        .execute();
      expect(running).toHaveLength(1);
    });

    it("releases the lock when a run completes or fails", async () => {
      await runs.complete(await start(0), {
        reportId: "20250101-000000-r1",
        watermarkTo: 9,
        summary,
        now: 1,
      });
      await runs.fail(await start(2), { error: "ENGINE_FAILED: boom", now: 3 });
      expect(await start(4)).toBe(3);
    });

    it("takes the watermark only from completed runs that replayed, and lists runs with reports newest first", async () => {
      await runs.complete(await start(0), {
        reportId: "20250101-000000-r1",
        watermarkTo: 5,
        summary,
        now: 1,
      });
      await runs.complete(await start(2, false), {
        reportId: "20250101-000002-r2",
        watermarkTo: 8,
        summary,
        now: 3,
      });
      await runs.fail(await start(4), { error: "cancelled", now: 5 });
      expect(await runs.lastReplayed()).toMatchObject({ id: 1, watermarkTo: 5, replayed: true });
      const listed = await runs.listWithReports(10);
      expect(listed.map((run) => [run.reportId, run.replayed])).toEqual([
        ["20250101-000002-r2", false],
        ["20250101-000000-r1", true],
      ]);
      expect(await runs.listWithReports(1)).toHaveLength(1);
    });
  });
}

analysisRunStoreSuite("sqlite", async () => (await openSqliteDatabase(":memory:")).db);
onPostgres((open) => analysisRunStoreSuite("postgres", async () => (await open()).db));
