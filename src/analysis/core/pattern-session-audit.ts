import type { InteractionWithFeedback } from "./analysis-input.js";
import type { MinedPattern } from "./mined-pattern.js";
import { findPatternMatch } from "./pattern-matcher.js";
import { resolveGroundTruth } from "./resolve-ground-truth.js";
import { cappedSupport, createSessionQuota, noSession, sessionQuotaGroup } from "./session-quota.js";

/** A mined pattern whose support leaned on too few sessions: left out of the candidates. */
export interface SessionDominatedPattern {
  patternId: string;
  title: string;
  /** Labelled documents containing it, and what is left when each session counts for at most its share. */
  support: number;
  cappedSupport: number;
  /** The session holding most of the support ("" for the items without a session), and how much it holds. */
  topSession: string;
  topSessionSupport: number;
}

export interface PatternSessionAuditResult {
  /** The patterns candidates may be built on, in their original order. */
  kept: MinedPattern[];
  dropped: SessionDominatedPattern[];
}

export interface PatternSessionAuditOptions {
  task: string;
  labels: readonly string[];
  currentVersionId: string;
  /** As given to the analysis run: items at or after it were not mined. */
  holdoutFrom: number | null;
  maxSessionShare: number;
  /** ANALYSIS_MIN_PATTERN_SUPPORT: a pattern whose capped support falls below it is dropped. */
  minSupport: number;
  patterns: readonly MinedPattern[];
}

/**
 * A second pass over the analysed items for the few patterns a run reports (issue 17 §1): counts each pattern's
 * support per session, among exactly the items the miner saw (the same session quota, in the same stream order),
 * and drops a pattern when its support with each session held to `maxSessionShare` of it (cappedSupport) is below
 * `minSupport`. One session can then never be the reason a rule or an exemplar is proposed. Memory: patterns ×
 * sessions that matched them.
 */
export function createPatternSessionAudit(options: PatternSessionAuditOptions) {
  const quota = createSessionQuota(options.maxSessionShare);
  const group = sessionQuotaGroup({ task: options.task, promptVersionId: options.currentVersionId });
  const bySession = new Map<string, Map<string, number>>(
    options.patterns.map((pattern) => [pattern.id, new Map()]),
  );
  return {
    add(item: InteractionWithFeedback): void {
      const { interaction } = item;
      if (interaction.task !== options.task || interaction.promptVersionId !== options.currentVersionId)
        return;
      const truth = resolveGroundTruth(item, options.labels);
      if (truth.correct === null || !quota.admit(group, interaction.sessionHash)) return;
      if (options.holdoutFrom !== null && interaction.createdAt >= options.holdoutFrom) return;
      const session = interaction.sessionHash ?? noSession;
      for (const pattern of options.patterns) {
        if (findPatternMatch(pattern, interaction.input) === null) continue;
        const counts = bySession.get(pattern.id)!;
        counts.set(session, (counts.get(session) ?? 0) + 1);
      }
    },
    finish(): PatternSessionAuditResult {
      const kept: MinedPattern[] = [];
      const dropped: SessionDominatedPattern[] = [];
      for (const pattern of options.patterns) {
        const counts = bySession.get(pattern.id)!;
        const support = [...counts.values()].reduce((sum, count) => sum + count, 0);
        const capped = cappedSupport(counts, options.maxSessionShare);
        if (support === 0 || capped >= options.minSupport) {
          kept.push(pattern);
          continue;
        }
        const [topSession, topSessionSupport] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
        dropped.push({
          patternId: pattern.id,
          title: pattern.title,
          support,
          cappedSupport: capped,
          topSession,
          topSessionSupport,
        });
      }
      return { kept, dropped };
    },
  };
}
