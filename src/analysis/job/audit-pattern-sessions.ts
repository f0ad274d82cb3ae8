import type { AnalysisResult, TaskAnalysis } from "../core/analyze-feedback.js";
import { createPatternSessionAudit } from "../core/pattern-session-audit.js";
import type { AnalysisConfig } from "../../config.js";
import type { InteractionStore } from "../../feedback/store/interaction-store.js";
import { toAnalysisItem } from "./to-analysis-item.js";

/**
 * The second pass of a run that will build candidates (issue 17 §1): streams the window again for the tasks whose
 * trigger fired, and takes out of their mined patterns those whose support leans on too few sessions
 * (createPatternSessionAudit); the report lists them under `sessions.dominatedPatterns`. Runs that build nothing
 * skip it.
 */
export async function withoutSessionDominatedPatterns(
  deps: {
    interactions: InteractionStore;
    settings: Pick<AnalysisConfig, "maxSessionShare" | "minPatternSupport">;
  },
  analysis: AnalysisResult,
  context: {
    /** The job's tasks (AnalysisTaskSetup): which version serves each. */
    tasks: ReadonlyArray<{ spec: { task: string }; current: { id: string } | null }>;
    holdoutFrom: number | null;
    since: number | null;
  },
): Promise<AnalysisResult> {
  const audits = new Map<string, ReturnType<typeof createPatternSessionAudit>>();
  for (const task of analysis.tasks) {
    const setup = context.tasks.find((candidate) => candidate.spec.task === task.task);
    const patterns = task.mining?.patterns ?? [];
    if (task.trigger.decision !== "create_draft" || setup?.current == null || patterns.length === 0) continue;
    audits.set(
      task.task,
      createPatternSessionAudit({
        task: task.task,
        labels: task.labels,
        currentVersionId: setup.current.id,
        holdoutFrom: context.holdoutFrom,
        maxSessionShare: deps.settings.maxSessionShare,
        minSupport: deps.settings.minPatternSupport,
        patterns,
      }),
    );
  }
  if (audits.size === 0) return analysis;
  const query = context.since === null ? {} : { since: context.since };
  for await (const stored of deps.interactions.streamWithFeedback(query)) {
    audits.get(stored.interaction.task)?.add(toAnalysisItem(stored));
  }
  const audited = (task: TaskAnalysis): TaskAnalysis => {
    const audit = audits.get(task.task);
    if (audit === undefined || task.mining === null) return task;
    const { kept, dropped } = audit.finish();
    return {
      ...task,
      mining: { ...task.mining, patterns: kept },
      sessions: { ...task.sessions, dominatedPatterns: dropped },
    };
  };
  return { ...analysis, tasks: analysis.tasks.map(audited) };
}
