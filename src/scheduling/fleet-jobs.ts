import { randomBytes } from "node:crypto";
import os from "node:os";
import { Cron } from "croner";
import type { JobLeaseStore } from "./job-lease-store.js";

/** What happened to this replica's tick of a scheduled job. */
export type FleetTickOutcome<T> = { ran: true; tickAt: number; result: T } | { ran: false; tickAt: number };

/** Runs each tick of a scheduled job on one replica of the fleet. */
export interface FleetJobs {
  /** This replica's name in the lease table (`host:pid:random`). */
  readonly holder: string;
  /**
   * Claims the current tick of `job` (scheduled by `cron`) and runs `work` if this replica got it, renewing the
   * lease while it runs. Every replica's schedule fires at the same second; one runs, the others skip.
   */
  run<T>(job: string, cron: string, work: () => Promise<T>): Promise<FleetTickOutcome<T>>;
}

const minLeaseMs = 1000;
const maxLeaseMs = 60_000;

/**
 * The lease outlives a live holder (renewed every third of it) and expires before the next tick (half the interval
 * at most), so a replica killed mid-job is replaced at the next tick, never later.
 */
export function leaseForTick(cron: string, tickAt: number): number {
  const next = new Cron(cron, { paused: true }).nextRun(new Date(tickAt));
  const interval = next ? next.getTime() - tickAt : maxLeaseMs * 2;
  return Math.min(maxLeaseMs, Math.max(minLeaseMs, Math.floor(interval / 2)));
}

export function createFleetJobs(options: {
  leases: JobLeaseStore;
  now?: () => number;
  holder?: string;
}): FleetJobs {
  const now = options.now ?? Date.now;
  const holder = options.holder ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  return {
    holder,
    async run(job, cron, work) {
      // Cron ticks are whole seconds: every replica rounds its firing time to the same tick.
      const tickAt = Math.round(now() / 1000) * 1000;
      const leaseMs = leaseForTick(cron, tickAt);
      const lease = { job, tickAt, holder, leaseMs };
      if (!(await options.leases.claim({ ...lease, now: now() }))) return { ran: false, tickAt };
      const renewal = setInterval(() => {
        void options.leases.renew({ ...lease, now: now() }).catch(() => {});
      }, leaseMs / 3);
      renewal.unref();
      try {
        return { ran: true, tickAt, result: await work() };
      } finally {
        clearInterval(renewal);
        await options.leases.finish({ job, tickAt, holder, now: now() }).catch(() => {});
      }
    },
  };
}
