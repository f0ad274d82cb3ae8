import type { JobLeaseStore } from "./job-lease-store.js";

interface Lease {
  holder: string;
  tickAt: number;
  leaseUntil: number;
  finishedAt: number | null;
}

/** A test double that passes the same contract suite as the SQL store. */
export function createInMemoryJobLeaseStore(): JobLeaseStore {
  const leases = new Map<string, Lease>();
  const held = (job: string, holder: string, tickAt: number) => {
    const lease = leases.get(job);
    return lease && lease.holder === holder && lease.tickAt === tickAt ? lease : undefined;
  };
  return {
    async claim({ job, tickAt, holder, now, leaseMs }) {
      const current = leases.get(job);
      if (
        current &&
        !(current.tickAt < tickAt && (current.finishedAt !== null || current.leaseUntil < now))
      ) {
        return false;
      }
      leases.set(job, { holder, tickAt, leaseUntil: now + leaseMs, finishedAt: null });
      return true;
    },
    async renew({ job, tickAt, holder, now, leaseMs }) {
      const lease = held(job, holder, tickAt);
      if (lease) lease.leaseUntil = now + leaseMs;
      return lease !== undefined;
    },
    async finish({ job, tickAt, holder, now }) {
      const lease = held(job, holder, tickAt);
      if (lease) lease.finishedAt = now;
    },
  };
}
