import type { Kysely, Selectable } from "kysely";
import { AppError, isAppError } from "../../errors.js";
import { toStorageAppError } from "../../storage/storage-error.js";
import type { AnalysisRunsTable, Database } from "../../storage/database-schema.js";

/** Who started a run. */
export type AnalysisTrigger = "api" | "schedule" | "cli";

/** What a listing shows about one run without opening its report. */
export interface AnalysisRunSummary {
  /** One entry per task: its decision, the draft proposed (if any) and why. */
  tasks: { task: string; decision: "create_draft" | "no_change"; versionId?: string; reason: string }[];
  /** Drafts saved by the run (created: false when an identical version already existed). */
  drafts: { task: string; versionId: string; created: boolean }[];
}

/** One row of the run history. */
export interface AnalysisRunRecord {
  id: number;
  reportId: string | null;
  trigger: AnalysisTrigger;
  status: "running" | "completed" | "failed";
  replayed: boolean;
  fingerprint: string;
  watermarkFrom: number | null;
  watermarkTo: number | null;
  summary: AnalysisRunSummary;
  error: string | null;
  startedAt: number;
  heartbeatAt: number;
  finishedAt: number | null;
}

/** The run history; a `running` row is the lock that keeps two processes from analysing at once. */
export interface AnalysisRunStore {
  /**
   * Records a new running run and returns its id, in one transaction with the check that no other run holds the
   * lock: a running row whose heartbeat is younger than `staleAfterMs` means CONFLICT; older ones were abandoned
   * (a crashed process) and are marked failed.
   */
  begin(run: {
    trigger: AnalysisTrigger;
    replayed: boolean;
    fingerprint: string;
    watermarkFrom: number | null;
    now: number;
    staleAfterMs: number;
  }): Promise<number>;
  heartbeat(id: number, now: number): Promise<void>;
  complete(
    id: number,
    result: { reportId: string; watermarkTo: number | null; summary: AnalysisRunSummary; now: number },
  ): Promise<void>;
  fail(id: number, failure: { error: string; now: number }): Promise<void>;
  /** The latest completed run that replayed candidates (the only kind that moves the watermark). */
  lastReplayed(): Promise<AnalysisRunRecord | undefined>;
  /** Runs that wrote a report, newest first. */
  listWithReports(limit: number): Promise<AnalysisRunRecord[]>;
}

function toRecord(row: Selectable<AnalysisRunsTable>): AnalysisRunRecord {
  return {
    id: row.id,
    reportId: row.report_id,
    trigger: row.trigger as AnalysisTrigger,
    status: row.status as AnalysisRunRecord["status"],
    replayed: row.replayed === 1,
    fingerprint: row.fingerprint,
    watermarkFrom: row.watermark_from,
    watermarkTo: row.watermark_to,
    summary: JSON.parse(row.summary) as AnalysisRunSummary,
    error: row.error,
    startedAt: Number(row.started_at),
    heartbeatAt: Number(row.heartbeat_at),
    finishedAt: row.finished_at === null ? null : Number(row.finished_at),
  };
}

/**
 * The lock check and the insert, in one transaction. Replicas that start at the same moment on PostgreSQL race past
 * the check together; the unique index on running rows (or the serializable transaction) stops all but one, and
 * those lose with CONFLICT like any start that finds a live run.
 */
async function beginRun(
  db: Kysely<Database>,
  {
    trigger,
    replayed,
    fingerprint,
    watermarkFrom,
    now,
    staleAfterMs,
  }: Parameters<AnalysisRunStore["begin"]>[0],
): Promise<number> {
  try {
    return await db.transaction().execute(async (tx) => {
      const running = await tx
        .selectFrom("analysis_runs")
        .selectAll()
        .where("status", "=", "running")
        .execute();
      const live = running.find((row) => now - Number(row.heartbeat_at) < staleAfterMs);
      if (live !== undefined) {
        throw new AppError(
          "CONFLICT",
          `An analysis run (started ${new Date(Number(live.started_at)).toISOString()} by ${live.trigger}) ` +
            `is still running; try again when it has finished`,
          { details: { runId: live.id } },
        );
      }
      if (running.length > 0) {
        await tx
          .updateTable("analysis_runs")
          .set({
            status: "failed",
            error: "abandoned: its process stopped sending heartbeats",
            finished_at: now,
          })
          .where("status", "=", "running")
          .execute();
      }
      const row = await tx
        .insertInto("analysis_runs")
        .values({
          trigger,
          status: "running",
          replayed: replayed ? 1 : 0,
          fingerprint,
          watermark_from: watermarkFrom,
          watermark_to: null,
          summary: "{}",
          error: null,
          started_at: now,
          heartbeat_at: now,
          finished_at: null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      return row.id;
    });
  } catch (error) {
    const mapped = toStorageAppError(error);
    if (mapped?.code === "CONFLICT" && !isAppError(error)) {
      throw new AppError(
        "CONFLICT",
        "Another analysis run started at the same moment; try again when it has finished",
        {
          cause: error,
        },
      );
    }
    throw mapped ?? error;
  }
}

export function createSqlAnalysisRunStore(db: Kysely<Database>): AnalysisRunStore {
  return {
    async begin({ trigger, replayed, fingerprint, watermarkFrom, now, staleAfterMs }) {
      return beginRun(db, { trigger, replayed, fingerprint, watermarkFrom, now, staleAfterMs });
    },
    async heartbeat(id, now) {
      await db.updateTable("analysis_runs").set({ heartbeat_at: now }).where("id", "=", id).execute();
    },

    async complete(id, { reportId, watermarkTo, summary, now }) {
      await db
        .updateTable("analysis_runs")
        .set({
          status: "completed",
          report_id: reportId,
          watermark_to: watermarkTo,
          summary: JSON.stringify(summary),
          heartbeat_at: now,
          finished_at: now,
        })
        .where("id", "=", id)
        .execute();
    },

    async fail(id, { error, now }) {
      await db
        .updateTable("analysis_runs")
        .set({ status: "failed", error, heartbeat_at: now, finished_at: now })
        .where("id", "=", id)
        .execute();
    },

    async lastReplayed() {
      const row = await db
        .selectFrom("analysis_runs")
        .selectAll()
        .where("status", "=", "completed")
        .where("replayed", "=", 1)
        .orderBy("id", "desc")
        .limit(1)
        .executeTakeFirst();
      return row && toRecord(row);
    },

    async listWithReports(limit) {
      const rows = await db
        .selectFrom("analysis_runs")
        .selectAll()
        .where("report_id", "is not", null)
        .orderBy("id", "desc")
        .limit(limit)
        .execute();
      return rows.map(toRecord);
    },
  };
}
