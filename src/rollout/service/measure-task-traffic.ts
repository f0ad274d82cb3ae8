import type { PromptStore } from "../../prompts/store/prompt-store.js";
import type { InteractionStore } from "../../feedback/store/interaction-store.js";
import type { AdaptedTraffic } from "../core/rollout-policy.js";
import { resolveGroundTruth } from "../../analysis/core/resolve-ground-truth.js";
import { toAnalysisItem } from "../../analysis/job/to-analysis-item.js";

/** Options of {@link measureTaskTraffic}. */
export interface MeasureTaskTrafficOptions {
  task: string;
  /** The experiment's start: only traffic from before it counts. */
  before: number;
  /** How far back to look (default 7 days: every weekday once). */
  windowMs?: number;
  /** Less history than this measures nothing (default 24 h: one daily cycle). */
  minimumHistoryMs?: number;
}

const day = 86_400_000;

/**
 * A classifier task's labelled interactions per hour (all versions, both arms) and their error rate over the
 * window before an experiment starts: what adaptPolicyToTraffic plans the stages with. Null when the task has less
 * than a day of history or no labels. Flooding it with labels only makes the adapted policy closer to the preset
 * (a higher rate keeps the preset's minimums), never less careful.
 */
export async function measureTaskTraffic(
  deps: { interactions: InteractionStore; prompts: PromptStore },
  options: MeasureTaskTrafficOptions,
): Promise<AdaptedTraffic | null> {
  const windowStart = options.before - (options.windowMs ?? 7 * day);
  const labelsByVersion = new Map<string, readonly string[] | undefined>();
  let first = Number.POSITIVE_INFINITY;
  let labelled = 0;
  let errors = 0;
  for await (const item of deps.interactions.streamWithFeedback({
    task: options.task,
    since: windowStart,
    until: options.before,
  })) {
    const { interaction } = item;
    first = Math.min(first, interaction.createdAt);
    if (!labelsByVersion.has(interaction.promptVersionId)) {
      const version = await deps.prompts.getVersion(interaction.promptVersionId);
      labelsByVersion.set(interaction.promptVersionId, version?.definition.labels);
    }
    const truth = resolveGroundTruth(toAnalysisItem(item), labelsByVersion.get(interaction.promptVersionId));
    if (truth.correct === null) continue;
    labelled += 1;
    if (!truth.correct) errors += 1;
  }
  const hours = (options.before - first) / 3_600_000;
  if (labelled === 0 || !(options.before - first >= (options.minimumHistoryMs ?? day))) return null;
  const rounded = (value: number) => Math.round(value * 1000) / 1000;
  return { primaryTrialsPerHour: rounded(labelled / hours), primaryEventRate: rounded(errors / labelled) };
}
