/**
 * Caps what one session can count for, so that nobody dominates the loop (issue 17 §1). Items arrive in stream
 * order; an item of session s in group g counts only while s would then hold at most `maxShare` of g's counted items
 * (and always its first item). So at every point, and at the end, each session holds at most
 * max(1, maxShare × counted) of a group: one session posting 1,000 corrections counts for as much as `maxShare`
 * of everyone's, and a group needs at least 1 / maxShare distinct sessions before any session counts in full.
 * Items without a session are one session together: leaving the session out must not escape the cap.
 */
export interface SessionQuota {
  /**
   * Whether this item counts; counts it if so. Deterministic for a given order of calls. `error`: the item is
   * evidence of a mistake (a correction or a 👎), tallied for {@link SessionQuota.distinctErrorSessions}.
   */
  admit(group: string, sessionHash: string | null, error?: boolean): boolean;
  /** Per group: distinct sessions with counted items. */
  distinctSessions(group: string): number;
  /** Per group: distinct sessions with counted items that were errors: how many people the case for a change rests on. */
  distinctErrorSessions(group: string): number;
  /** Sessions that had items left out, most left out first. */
  capped(group: string): CappedSession[];
}

/** A session that reached its share. */
export interface CappedSession {
  /** The session hash ("" for the items without one). */
  sessionHash: string;
  /** Items it offered, and how many of them counted. */
  offered: number;
  counted: number;
}

interface GroupCounts {
  total: number;
  sessions: Map<string, { offered: number; counted: number; errors: number }>;
}

/** The quota's group of an interaction: its task and version (each version's evidence is judged on its own). */
export function sessionQuotaGroup(interaction: { task: string; promptVersionId: string }): string {
  return `${interaction.task}\u0000${interaction.promptVersionId}`;
}

/** The session key of items without a session. */
export const noSession = "";

export function createSessionQuota(maxShare: number): SessionQuota {
  if (!(maxShare > 0 && maxShare <= 1)) throw new RangeError(`maxShare must be in (0, 1], got ${maxShare}`);
  const groups = new Map<string, GroupCounts>();
  const groupOf = (group: string) => {
    let counts = groups.get(group);
    if (!counts) groups.set(group, (counts = { total: 0, sessions: new Map() }));
    return counts;
  };
  return {
    admit(group, sessionHash, error = false) {
      const counts = groupOf(group);
      const key = sessionHash ?? noSession;
      let session = counts.sessions.get(key);
      if (!session) counts.sessions.set(key, (session = { offered: 0, counted: 0, errors: 0 }));
      session.offered += 1;
      const allowed = maxShare >= 1 || session.counted + 1 <= Math.max(1, maxShare * (counts.total + 1));
      if (!allowed) return false;
      session.counted += 1;
      if (error) session.errors += 1;
      counts.total += 1;
      return true;
    },
    distinctSessions(group) {
      return [...(groups.get(group)?.sessions.values() ?? [])].filter((session) => session.counted > 0)
        .length;
    },
    distinctErrorSessions(group) {
      return [...(groups.get(group)?.sessions.values() ?? [])].filter((session) => session.errors > 0).length;
    },
    capped(group) {
      return [...(groups.get(group)?.sessions ?? [])]
        .filter(([, session]) => session.offered > session.counted)
        .map(([sessionHash, { offered, counted }]) => ({ sessionHash, offered, counted }))
        .sort(
          (a, b) =>
            b.offered - b.counted - (a.offered - a.counted) || (a.sessionHash < b.sessionHash ? -1 : 1),
        );
    },
  };
}

/**
 * The support of a set of items when each session counts for at most `maxShare` of it: the largest cap c with
 * c ≤ maxShare × Σ min(count_s, c), i.e. water-filling. 0 when one session alone would exceed the share however
 * the others count (fewer than 1 / maxShare sessions can't support anything on their own).
 */
export function cappedSupport(countsBySession: ReadonlyMap<string, number>, maxShare: number): number {
  const counts = [...countsBySession.values()].filter((count) => count > 0);
  if (maxShare >= 1) return counts.reduce((sum, count) => sum + count, 0);
  const totalWith = (cap: number) => counts.reduce((sum, count) => sum + Math.min(count, cap), 0);
  // maxShare × T(c) − c is concave in c, so the caps that fit form a range starting at 1 (or none do).
  const largest = Math.max(0, ...counts);
  let best = 0;
  for (let cap = 1; cap <= largest && cap <= maxShare * totalWith(cap); cap++) best = cap;
  return best === 0 ? 0 : totalWith(best);
}
