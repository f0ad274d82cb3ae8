import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { openPostgresDatabase } from "../../src/storage/postgres/open-postgres-database.js";
import { openSqliteDatabase } from "../../src/storage/sqlite/open-sqlite-database.js";
import type { OpenedDatabase } from "../../src/storage/opened-database.js";
import {
  findPostgresBin,
  startThrowawayPostgresCluster,
} from "../../test/support/postgres/throwaway-postgres-cluster.js";
import type { AnalysisJobMeasurement } from "../lib/measure-analysis-job.js";
import type { TableRow } from "../lib/render-table.js";
import { progress, runAsScript, type SectionOptions, type SectionResult } from "../lib/section-protocol.js";
import { seedFeedbackHistory, type SeedResult } from "../lib/seed-feedback-history.js";

const section = "analysis-storage";
const measureScript = fileURLToPath(new URL("../lib/measure-analysis-job.ts", import.meta.url));

/** A fresh PostgreSQL database for the run, and how to get rid of it; or why there is none. */
type ScratchPostgres = { url: string; origin: string; remove: () => Promise<void> } | { skipped: string };

/**
 * DATABASE_URL's server when set (a scratch database is created there and dropped after), otherwise a throwaway
 * cluster in a temp folder (fsync off, as in the tests) when PostgreSQL is installed, otherwise a reason to skip.
 */
async function scratchPostgres(): Promise<ScratchPostgres> {
  const given = process.env.DATABASE_URL;
  if (given) {
    const name = `promptloop_bench_${randomBytes(5).toString("hex")}`;
    const admin = async (statement: string) => {
      const client = new pg.Client({ connectionString: given });
      await client.connect();
      try {
        await client.query(statement);
      } finally {
        await client.end();
      }
    };
    await admin(`create database ${name}`);
    const url = new URL(given);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      origin: `scratch database ${name} on DATABASE_URL's server`,
      remove: () => admin(`drop database if exists ${name} with (force)`),
    };
  }
  if (findPostgresBin() === null) {
    return {
      skipped:
        "PostgreSQL half skipped: DATABASE_URL is unset and PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)",
    };
  }
  const cluster = await startThrowawayPostgresCluster();
  return { url: cluster.url, origin: "throwaway cluster (fsync off)", remove: () => cluster.stop() };
}

async function seed(database: OpenedDatabase, events: number): Promise<SeedResult> {
  let shown = 0;
  try {
    return await seedFeedbackHistory(database, {
      events,
      seed: 7,
      onProgress: (written) => {
        const tenth = Math.floor((written / events) * 10);
        if (tenth > shown) progress(section, `seeding ${database.dialect}: ${tenth * 10}%`);
        shown = tenth;
      },
    });
  } finally {
    await database.close();
  }
}

/** The job in a fresh process (its own peak RSS, live heap with --expose-gc). */
async function measure(args: string[]): Promise<AnalysisJobMeasurement> {
  const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", measureScript, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  const code = await new Promise<number>((resolve) => child.on("close", (exit) => resolve(exit ?? 1)));
  const line = stdout.trim().split("\n").at(-1);
  if (code !== 0 || !line) throw new Error(`the ${args[0]} measurement failed (exit code ${code})`);
  return JSON.parse(line) as AnalysisJobMeasurement;
}

const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

function rowsOf(m: AnalysisJobMeasurement, seeded: SeedResult): TableRow[] {
  const name = `${section} (${m.dialect})`;
  return [
    {
      section: name,
      metric: "analysis job (read + analyse)",
      value: `${m.jobSeconds} s`,
      note: `${m.jobCpuSeconds} s CPU in the job's process`,
    },
    {
      section: name,
      metric: "read alone (stream every interaction)",
      value: `${m.readSeconds} s`,
      note: `${m.interactions} interactions`,
    },
    {
      section: name,
      metric: "peak live heap (25/50/75/100%)",
      value: `${m.peakLiveHeapMb} MB`,
      note: m.liveHeapMbAtQuarters.join(" / "),
    },
    {
      section: name,
      metric: "peak heap incl. garbage / peak RSS",
      value: `${m.peakHeapMb} / ${m.peakRssMb} MB`,
    },
    {
      section: name,
      metric: "seeded (set-up, not timed in the target)",
      value: `${seeded.events} events`,
      note: `${seeded.interactions} interactions in ${seeded.seconds.toFixed(1)} s`,
    },
  ];
}

/**
 * Issue 15's storage target: the analysis job's read + analyse path over the same synthetic history (analysis-scale's
 * 1,000,000 feedback events, 100,000 with --quick) seeded into a fresh SQLite file and a fresh PostgreSQL database,
 * measured one after the other in fresh processes: seconds, heap and RSS for both, and PostgreSQL / SQLite. On its
 * own: `node --import tsx bench/sections/analysis-storage.ts --options '{"quick":true}'` (or `{"events":N}`).
 */
export async function measureAnalysisStorage(
  options: Pick<SectionOptions, "quick"> & { events?: number },
): Promise<SectionResult> {
  const events = options.events ?? (options.quick ? 100_000 : 1_000_000);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "promptloop-bench-analysis-"));
  const file = path.join(folder, "promptloop.sqlite");
  const postgres = await scratchPostgres();
  try {
    progress(section, `seeding ${events} events into a fresh SQLite file`);
    const sqliteSeed = await seed(await openSqliteDatabase(file), events);
    progress(section, "measuring the analysis job on SQLite");
    const sqlite = await measure(["--sqlite", file]);
    const rows = rowsOf(sqlite, sqliteSeed);
    const figures: Record<string, unknown> = { events, sqlite, sqliteSeed, loadAverage: os.loadavg()[0] };
    if ("skipped" in postgres) {
      progress(section, postgres.skipped);
      return { figures, rows, skipped: postgres.skipped };
    }
    progress(section, `seeding ${events} events into PostgreSQL (${postgres.origin})`);
    const postgresSeed = await seed(await openPostgresDatabase(postgres.url), events);
    progress(section, "measuring the analysis job on PostgreSQL");
    const onPostgres = await measure(["--postgres", postgres.url]);
    rows.push(...rowsOf(onPostgres, postgresSeed));
    const timeRatio = ratio(onPostgres.jobSeconds, sqlite.jobSeconds);
    const heapRatio = ratio(onPostgres.peakLiveHeapMb, sqlite.peakLiveHeapMb);
    rows.push({
      section,
      metric: "PostgreSQL / SQLite: job seconds, peak live heap",
      value: `${timeRatio}× / ${heapRatio}×`,
      note: `target ≤ 2× time with the same bounded heap; ${postgres.origin}; load average ${os.loadavg()[0]!.toFixed(2)}`,
    });
    Object.assign(figures, {
      postgres: onPostgres,
      postgresSeed,
      postgresOrigin: postgres.origin,
      postgresOverSqliteSeconds: timeRatio,
      postgresOverSqlitePeakLiveHeap: heapRatio,
      loadAverage: os.loadavg()[0],
    });
    return { figures, rows };
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
    if (!("skipped" in postgres)) await postgres.remove();
  }
}

runAsScript(import.meta.url, measureAnalysisStorage);
