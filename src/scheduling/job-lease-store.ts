/** Which replica runs a scheduled job's tick: each tick is claimed once across every replica on one database. */
export interface JobLeaseStore {
  /**
   * Claims `tickAt` of `job` for `holder` until `now + leaseMs`. Succeeds only when no replica claimed this tick (or
   * a later one) yet, and the previous holder finished or let its lease expire (it died): then exactly one of the
   * replicas asking at once gets true.
   */
  claim(claim: {
    job: string;
    tickAt: number;
    holder: string;
    now: number;
    leaseMs: number;
  }): Promise<boolean>;
  /** Extends a held lease; false when it was lost (expired and taken over). */
  renew(lease: {
    job: string;
    tickAt: number;
    holder: string;
    now: number;
    leaseMs: number;
  }): Promise<boolean>;
  /** Marks the tick done, so the next tick may be claimed at once. */
  finish(lease: { job: string; tickAt: number; holder: string; now: number }): Promise<void>;
}
