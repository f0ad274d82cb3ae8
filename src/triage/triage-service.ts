import { findPatternMatch } from "../analysis/core/pattern-matcher.js";
import { explicitFeedbackTypes } from "../feedback/feedback-types.js";
import type { FeedbackEvent, Interaction, InteractionStore } from "../feedback/store/interaction-store.js";
import type { PromptStore, PromptVersion } from "../prompts/store/prompt-store.js";
import { AppError } from "../errors.js";
import type { RegressionSetStore } from "./regression-sets/regression-set-store.js";
import { judgeInteraction, type Judgement } from "./judge-interaction.js";
import { judgementMatches, type MisclassificationFilter } from "./misclassification-filter.js";

/** One interaction judged wrong, as the triage list shows it. */
export interface Misclassification {
  interactionId: string;
  task: string;
  promptVersionId: string;
  /** The (masked, as stored) input. */
  input: string;
  predicted: string | null;
  confidence: number | null;
  judgement: Judgement;
  createdAt: number;
}

export interface MisclassificationPage {
  /** Every misclassification matching the filter. */
  total: number;
  offset: number;
  limit: number;
  /** Newest first. */
  items: Misclassification[];
}

/** One interaction with its version, its verdict and all its feedback events in arrival order. */
export interface InteractionView {
  interaction: Interaction;
  version: PromptVersion | null;
  judgement: Judgement | null;
  events: Array<FeedbackEvent & { signal: "explicit" | "implicit" }>;
  /** The named regression sets it is in. */
  regressionSets: Array<{ id: string; name: string }>;
}

/** Paging bounds: a page holds at most maxLimit rows and starts at most maxOffset rows in. */
export const misclassificationPaging = { defaultLimit: 25, maxLimit: 100, maxOffset: 10_000 } as const;

const labelEventTypes = ["label_correct", "label_confirm"] as const;

/**
 * Triage reads: the misclassifications (interactions whose label feedback says the answer was wrong), filtered and
 * paged on the server, and one interaction in full. The verdict is resolveGroundTruth's, so triage and the analysis
 * agree on what is wrong. The store narrows the scan to interactions with label feedback (and the task, version,
 * date and text filters); memory stays bounded by offset + limit.
 */
export function createTriageService(deps: {
  interactions: InteractionStore;
  prompts: PromptStore;
  regressionSets: Pick<RegressionSetStore, "setsWith">;
}) {
  const labelsOf = async () => {
    const versions = await deps.prompts.listVersions();
    return new Map(versions.map((version) => [version.id, version]));
  };
  return {
    async listMisclassifications(
      filter: MisclassificationFilter,
      paging: { offset: number; limit: number },
    ): Promise<MisclassificationPage> {
      const versions = await labelsOf();
      const window = paging.offset + paging.limit;
      // The newest `window` matches: the stream is oldest first, so older ones fall out of this ring.
      const newest: Misclassification[] = [];
      let total = 0;
      for await (const stored of deps.interactions.streamWithFeedback({
        ...(filter.task !== undefined && { task: filter.task }),
        ...(filter.version !== undefined && { promptVersionId: filter.version }),
        ...(filter.search !== undefined && { inputContains: filter.search }),
        ...(filter.since !== undefined && { since: filter.since }),
        withFeedbackTypes: labelEventTypes,
      })) {
        const { interaction } = stored;
        const labels = versions.get(interaction.promptVersionId)?.definition.labels;
        const judgement = judgeInteraction(stored, labels);
        if (judgement === null || judgement.correct) continue;
        if (!judgementMatches(filter, interaction.label, judgement)) continue;
        if (filter.pattern !== undefined && findPatternMatch(filter.pattern, interaction.input) === null)
          continue;
        total += 1;
        newest.push({
          interactionId: interaction.id,
          task: interaction.task,
          promptVersionId: interaction.promptVersionId,
          input: interaction.input,
          predicted: interaction.label,
          confidence: interaction.confidence,
          judgement,
          createdAt: interaction.createdAt,
        });
        if (newest.length > window) newest.shift();
      }
      const items = newest.reverse().slice(paging.offset, window);
      return { total, offset: paging.offset, limit: paging.limit, items };
    },

    async interaction(id: string): Promise<InteractionView> {
      const interaction = await deps.interactions.get(id);
      if (interaction === undefined) {
        throw new AppError("INTERACTION_NOT_FOUND", `No interaction ${id}`, { details: { id } });
      }
      const events = await deps.interactions.feedbackFor(id);
      const version = (await deps.prompts.getVersion(interaction.promptVersionId)) ?? null;
      return {
        interaction,
        version,
        judgement: judgeInteraction({ interaction, events }, version?.definition.labels),
        events: events.map((event) => ({
          ...event,
          signal: explicitFeedbackTypes.has(event.type) ? "explicit" : "implicit",
        })),
        regressionSets: (await deps.regressionSets.setsWith(id)).map(({ id: setId, name }) => ({
          id: setId,
          name,
        })),
      };
    },
  };
}

export type TriageService = ReturnType<typeof createTriageService>;
