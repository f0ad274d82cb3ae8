/**
 * Runs the analysis job's read + analyse path (runAnalysisJob without the model: stream, core, candidates, report)
 * once over an already seeded database, in a fresh process so its peak RSS is its own, and prints one JSON line.
 * Run by bench/sections/analysis-storage.ts; on its own:
 *
 *   node --expose-gc --import tsx bench/lib/measure-analysis-job.ts --sqlite <file> | --postgres <url>
 */
import { loadavg } from "node:os";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { runAnalysisJob, loadTaskSetups } from "../../src/analysis/job/run-analysis-job.js";
import { createAnalysisEvidenceQueries } from "../../src/analysis/job/evidence-queries.js";
import { createFewShotMemory } from "../../src/analysis/job/few-shot-memory.js";
import { loadConfig } from "../../src/config.js";
import { createSqlInteractionStore } from "../../src/feedback/store/sql-interaction-store.js";
import { createSqlPromptStore } from "../../src/prompts/store/sql-prompt-store.js";
import type { OpenedDatabase } from "../../src/storage/opened-database.js";
import { openPostgresDatabase } from "../../src/storage/postgres/open-postgres-database.js";
import { openSqliteDatabase } from "../../src/storage/sqlite/open-sqlite-database.js";
import { historyEndsAt } from "./seed-feedback-history.js";

export interface AnalysisJobMeasurement {
  dialect: "sqlite" | "postgres";
  interactions: number;
  /** Wall seconds of one stream of the whole history, nothing done with it: the read alone. */
  readSeconds: number;
  /** Wall seconds of runAnalysisJob: evidence queries, stream through the core, session audit, candidates, report. */
  jobSeconds: number;
  /** This process's CPU seconds in the job (the database server's, on PostgreSQL, are not in it). */
  jobCpuSeconds: number;
  /** Highest heapUsed seen every 500 interactions, garbage included. */
  peakHeapMb: number;
  /** Live heap (after a full GC, `--expose-gc`) at about 25/50/75/100% of the job's stream: flat = bounded. */
  liveHeapMbAtQuarters: number[];
  /** The largest of those (0 without --expose-gc). */
  peakLiveHeapMb: number;
  liveHeapMeasured: boolean;
  peakRssMb: number;
  loadAverageBefore: number;
  loadAverageAfter: number;
  trigger: string;
}

const collect = (globalThis as { gc?: () => void }).gc;
const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
const seconds = (ms: number) => Math.round(ms) / 1000;

export async function measureAnalysisJob(database: OpenedDatabase): Promise<AnalysisJobMeasurement> {
  const interactions = createSqlInteractionStore(database.db, database.monitor, database.dialect);
  const loadAverageBefore = loadavg()[0]!;
  let peakHeap = process.memoryUsage().heapUsed;

  const readStarted = performance.now();
  let read = 0;
  for await (const _item of interactions.streamWithFeedback()) {
    read += 1;
    if (read % 500 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }
  const readSeconds = seconds(performance.now() - readStarted);

  const quarters: number[] = [];
  const tasks = await loadTaskSetups(createSqlPromptStore(database.db));
  const cpuBefore = process.cpuUsage();
  const jobStarted = performance.now();
  const result = await runAnalysisJob(
    {
      interactions,
      evidence: createAnalysisEvidenceQueries(database.db),
      backend: null,
      memory: createFewShotMemory(),
      settings: loadConfig({}).analysis,
      now: () => historyEndsAt,
    },
    {
      tasks,
      sinceEventId: null,
      replay: false,
      reportId: "bench",
      onProgress: (progress) => {
        if (progress.phase !== "stream") return;
        peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
        const quarter = Math.floor((progress.done / Math.max(1, progress.total)) * 4);
        if (collect && quarter > quarters.length && quarters.length < 4) {
          collect();
          quarters.push(mb(process.memoryUsage().heapUsed));
        }
      },
    },
  );
  const jobSeconds = seconds(performance.now() - jobStarted);
  const cpu = process.cpuUsage(cpuBefore);
  const sentiment = result.report.tasks.find((task) => task.task === "sentiment");
  return {
    dialect: database.dialect,
    interactions: read,
    readSeconds,
    jobSeconds,
    jobCpuSeconds: Math.round((cpu.user + cpu.system) / 1000) / 1000,
    peakHeapMb: mb(peakHeap),
    liveHeapMbAtQuarters: quarters,
    peakLiveHeapMb: Math.max(0, ...quarters),
    liveHeapMeasured: collect !== undefined,
    peakRssMb: mb(process.resourceUsage().maxRSS * 1024),
    loadAverageBefore: Math.round(loadAverageBefore * 100) / 100,
    loadAverageAfter: Math.round(loadavg()[0]! * 100) / 100,
    trigger: sentiment
      ? `${sentiment.trigger.decision}: ${sentiment.trigger.reason.en}`
      : "no sentiment report",
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sqlite: { type: "string" }, postgres: { type: "string" } } });
  if ((values.sqlite === undefined) === (values.postgres === undefined)) {
    throw new Error("usage: measure-analysis-job.ts --sqlite <file> | --postgres <url>");
  }
  const database =
    values.sqlite !== undefined
      ? await openSqliteDatabase(values.sqlite, { mustExist: true })
      : await openPostgresDatabase(values.postgres!, { mustExist: true });
  try {
    process.stdout.write(`${JSON.stringify(await measureAnalysisJob(database))}\n`);
  } finally {
    await database.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
