import { AppError } from "../../errors.js";
import type { AnalysisRunRecord, AnalysisRunStore } from "./analysis-run-store.js";

/** The run history in memory, for createTestServices; keeps the SQLite store's lock and watermark rules. */
export function createInMemoryAnalysisRunStore(): AnalysisRunStore {
  const runs: AnalysisRunRecord[] = [];
  const byId = (id: number) => {
    const run = runs.find((r) => r.id === id);
    if (!run) throw new Error(`no analysis run ${id}`);
    return run;
  };
  return {
    async begin({ trigger, replayed, fingerprint, watermarkFrom, now, staleAfterMs }) {
      const running = runs.filter((r) => r.status === "running");
      const live = running.find((r) => now - r.heartbeatAt < staleAfterMs);
      if (live) {
        throw new AppError("CONFLICT", `An analysis run (by ${live.trigger}) is still running`, {
          details: { runId: live.id },
        });
      }
      for (const abandoned of running) {
        Object.assign(abandoned, {
          status: "failed",
          error: "abandoned: its process stopped sending heartbeats",
          finishedAt: now,
        });
      }
      const id = runs.length + 1;
      runs.push({
        id,
        reportId: null,
        trigger,
        status: "running",
        replayed,
        fingerprint,
        watermarkFrom,
        watermarkTo: null,
        summary: { tasks: [], drafts: [] },
        error: null,
        startedAt: now,
        heartbeatAt: now,
        finishedAt: null,
      });
      return id;
    },
    async heartbeat(id, now) {
      byId(id).heartbeatAt = now;
    },
    async complete(id, { reportId, watermarkTo, summary, now }) {
      Object.assign(byId(id), {
        status: "completed",
        reportId,
        watermarkTo,
        summary,
        heartbeatAt: now,
        finishedAt: now,
      });
    },
    async fail(id, { error, now }) {
      Object.assign(byId(id), { status: "failed", error, heartbeatAt: now, finishedAt: now });
    },
    async lastReplayed() {
      const done = runs.filter((r) => r.status === "completed" && r.replayed);
      const last = done.at(-1);
      return last && structuredClone(last);
    },
    async listWithReports(limit) {
      return runs
        .filter((r) => r.reportId !== null)
        .reverse()
        .slice(0, limit)
        .map((r) => structuredClone(r));
    },
  };
}
