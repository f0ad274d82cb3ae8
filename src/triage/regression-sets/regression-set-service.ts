import { randomUUID } from "node:crypto";
import type { NamedReplaySet } from "../../analysis/core/replay-sets.js";
import { AppError } from "../../errors.js";
import type { InteractionStore } from "../../feedback/store/interaction-store.js";
import type { PromptStore } from "../../prompts/store/prompt-store.js";
import { judgeInteraction } from "../judge-interaction.js";
import type {
  ExpectedLabelOrigin,
  RegressionSet,
  RegressionSetChange,
  RegressionSetItem,
  RegressionSetStore,
} from "./regression-set-store.js";

export interface RegressionSetDetail {
  set: RegressionSet;
  items: RegressionSetItem[];
  /** The audit log, newest first (the latest 50). */
  changes: RegressionSetChange[];
}

const notFound = (id: string) =>
  new AppError("REGRESSION_SET_NOT_FOUND", `No regression set ${id}`, { details: { id } });

/**
 * Named regression sets (issue 16 item 4): an operator collects interactions with the label each must get (the
 * user's correction, the label inferred from 👎, or one the operator names), the analysis's replay gate replays
 * them for every candidate of the task, and the playground can run versions on them. Every change names its actor.
 */
export function createRegressionSetService(deps: {
  sets: RegressionSetStore;
  interactions: Pick<InteractionStore, "get" | "feedbackFor">;
  prompts: Pick<PromptStore, "listVersions" | "getVersion">;
  now: () => number;
}) {
  const existing = async (id: string) => {
    const set = await deps.sets.get(id);
    if (set === undefined) throw notFound(id);
    return set;
  };
  const assertNameFree = async (task: string, name: string) => {
    if ((await deps.sets.findByName(task, name)) !== undefined) {
      throw new AppError("CONFLICT", `Task ${task} already has a regression set named ${name}`, {
        details: { task, name },
      });
    }
  };
  return {
    list: (task?: string) => deps.sets.list(task),

    async detail(id: string): Promise<RegressionSetDetail> {
      const set = await existing(id);
      return { set, items: await deps.sets.items(id), changes: await deps.sets.changes(id, 50) };
    },

    async create(input: { task: string; name: string }, actor: string): Promise<RegressionSet> {
      const versions = await deps.prompts.listVersions(input.task);
      if (!versions.some((version) => version.definition.kind === "classifier")) {
        throw new AppError(
          "TASK_NOT_FOUND",
          `No classifier task ${input.task}: regression sets hold labelled inputs`,
          {
            details: { task: input.task },
          },
        );
      }
      const name = input.name.trim();
      await assertNameFree(input.task, name);
      return deps.sets.create({ id: randomUUID(), task: input.task, name }, { actor, at: deps.now() });
    },

    async rename(id: string, newName: string, actor: string): Promise<RegressionSet> {
      const set = await existing(id);
      const name = newName.trim();
      if (name !== set.name) await assertNameFree(set.task, name);
      await deps.sets.rename(id, name, { actor, at: deps.now() });
      return (await deps.sets.get(id))!;
    },

    async delete(id: string, actor: string): Promise<void> {
      if (!(await deps.sets.delete(id, { actor, at: deps.now() }))) throw notFound(id);
    },

    /**
     * Adds an interaction of the set's task (or changes its expected label). Without `expectedLabel`, the user's
     * correction (or the label inferred from 👎) is taken; an interaction without one needs the operator's label.
     */
    async putItem(id: string, interactionId: string, expectedLabel: string | undefined, actor: string) {
      const set = await existing(id);
      const interaction = await deps.interactions.get(interactionId);
      if (interaction === undefined) {
        throw new AppError("INTERACTION_NOT_FOUND", `No interaction ${interactionId}`, {
          details: { interactionId },
        });
      }
      if (interaction.task !== set.task) {
        throw new AppError(
          "VALIDATION_FAILED",
          `Interaction ${interactionId} is of task ${interaction.task}, the set holds ${set.task}`,
          { details: { task: interaction.task, setTask: set.task } },
        );
      }
      const labels = (await deps.prompts.getVersion(interaction.promptVersionId))?.definition.labels ?? [];
      let expected: { label: string; source: ExpectedLabelOrigin };
      if (expectedLabel !== undefined) {
        if (!labels.includes(expectedLabel)) {
          throw new AppError(
            "UNKNOWN_LABEL",
            `${expectedLabel} is not a label of ${interaction.promptVersionId}`,
            {
              details: { allowed: labels },
            },
          );
        }
        expected = { label: expectedLabel, source: "operator" };
      } else {
        const events = await deps.interactions.feedbackFor(interactionId);
        const judgement = judgeInteraction({ interaction, events }, labels);
        if (judgement?.expectedLabel == null || judgement.expectedLabelSource === "confirmation") {
          throw new AppError(
            "VALIDATION_FAILED",
            "expectedLabel is needed: this interaction has no correction or 👎 to take the right label from",
            { details: { allowed: labels } },
          );
        }
        expected = {
          label: judgement.expectedLabel,
          source: judgement.expectedLabelSource === "correction" ? "correction" : "inferred",
        };
      }
      const { added } = await deps.sets.putItem(
        id,
        { interactionId, expectedLabel: expected.label, expectedSource: expected.source },
        { actor, at: deps.now() },
      );
      return { added, expectedLabel: expected.label, expectedSource: expected.source };
    },

    async removeItem(id: string, interactionId: string, actor: string): Promise<void> {
      await existing(id);
      if (!(await deps.sets.removeItem(id, interactionId, { actor, at: deps.now() }))) {
        throw new AppError("REGRESSION_SET_NOT_FOUND", `Interaction ${interactionId} is not in set ${id}`, {
          details: { id, interactionId },
        });
      }
    },

    setsWith: (interactionId: string) => deps.sets.setsWith(interactionId),

    /** The task's named sets as replay sets (for the analysis's replay gate). */
    async replaySetsFor(task: string): Promise<NamedReplaySet[]> {
      const named: NamedReplaySet[] = [];
      for (const set of await deps.sets.list(task)) {
        const items = await deps.sets.items(set.id);
        if (items.length === 0) continue;
        named.push({
          id: set.id,
          name: set.name,
          items: items.map((item) => ({
            id: item.interactionId,
            input: item.input,
            gold: item.expectedLabel,
            recordedPrediction: item.predicted,
            createdAt: item.createdAt,
          })),
        });
      }
      return named;
    },
  };
}

export type RegressionSetService = ReturnType<typeof createRegressionSetService>;
