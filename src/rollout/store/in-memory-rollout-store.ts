import { AppError } from "../../errors.js";
import type { PromptStore } from "../../prompts/store/prompt-store.js";
import {
  labelMoveReason,
  type LabelMovePlan,
  type Experiment,
  type RolloutDecisionRecord,
  type RolloutStore,
} from "./rollout-store.js";

/**
 * A test double that passes the same contract suite as the SQLite store. Labels live in the given prompt store
 * (normally the in-memory one); every write is validated before anything changes, like a transaction.
 */
export function createInMemoryRolloutStore(prompts: PromptStore): RolloutStore {
  const experiments = new Map<string, Experiment>();
  const decisions: RolloutDecisionRecord[] = [];

  async function checkMoves(moves: readonly LabelMovePlan[]): Promise<void> {
    for (const move of moves) {
      const from =
        (await prompts.listLabels(move.task)).find((l) => l.label === move.label)?.versionId ?? null;
      if (from !== move.fromVersionId) {
        throw new AppError(
          "ROLLOUT_CONFLICT",
          `The ${move.label} label of ${move.task} moved meanwhile (expected ${move.fromVersionId ?? "none"}, ` +
            `found ${from ?? "none"}); nothing was changed`,
        );
      }
      if (
        move.toVersionId !== null &&
        (await prompts.getVersion(move.toVersionId))?.definition.task !== move.task
      ) {
        throw new AppError(
          "PROMPT_VERSION_NOT_FOUND",
          `Version ${move.toVersionId} does not exist for ${move.task}`,
        );
      }
    }
  }

  async function applyMoves(moves: readonly LabelMovePlan[], actor: string, context: string, now: number) {
    for (const move of moves) {
      await prompts.moveLabels([{ task: move.task, label: move.label, toVersionId: move.toVersionId }], {
        actor,
        reason: labelMoveReason(move, context),
        now,
      });
    }
  }

  function isOpen(experiment: Experiment): boolean {
    return experiment.status === "running" || experiment.status === "halted";
  }

  function record(decision: Omit<RolloutDecisionRecord, "id">): RolloutDecisionRecord {
    const stored = structuredClone({ ...decision, id: decisions.length + 1 });
    decisions.push(stored);
    return structuredClone(stored);
  }

  return {
    async startExperiment(experiment, decision, moves) {
      const open = [...experiments.values()].find((e) => e.task === experiment.task && isOpen(e));
      if (open)
        throw new AppError(
          "ROLLOUT_CONFLICT",
          `Experiment ${open.experimentId} is still open for ${experiment.task}`,
        );
      await checkMoves(moves);
      experiments.set(experiment.experimentId, structuredClone(experiment));
      await applyMoves(
        moves,
        decision.actor,
        `(experiment ${experiment.experimentId}: ${decision.reason})`,
        decision.decidedAt,
      );
      record({ ...decision, labelMoves: [...moves] });
    },

    async getExperiment(id) {
      const experiment = experiments.get(id);
      return experiment && structuredClone(experiment);
    },

    async findOpenExperiment(task) {
      const open = [...experiments.values()].find((e) => e.task === task && isOpen(e));
      return open && structuredClone(open);
    },

    async listExperiments(query = {}) {
      return [...experiments.values()]
        .filter((e) => query.task === undefined || e.task === query.task)
        .filter((e) => query.statuses === undefined || query.statuses.includes(e.status))
        .sort((a, b) => b.startedAt - a.startedAt || (a.experimentId < b.experimentId ? 1 : -1))
        .map((e) => structuredClone(e));
    },

    async recordDecision({ decision, expected, change, moves }) {
      const experiment = experiments.get(decision.experimentId);
      if (!experiment) throw new AppError("NOT_FOUND", `No experiment ${decision.experimentId}`);
      if (experiment.status !== expected.status || experiment.stageIndex !== expected.stageIndex) {
        throw new AppError(
          "ROLLOUT_CONFLICT",
          `Experiment ${decision.experimentId} changed meanwhile (now ${experiment.status}, stage ` +
            `${experiment.stageIndex}); nothing was changed`,
        );
      }
      await checkMoves(moves);
      if (change) {
        const defined = Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined));
        experiments.set(decision.experimentId, { ...experiment, ...defined, updatedAt: decision.decidedAt });
      }
      await applyMoves(
        moves,
        decision.actor,
        `(experiment ${decision.experimentId}: ${decision.reason})`,
        decision.decidedAt,
      );
      return record({ ...decision, labelMoves: [...moves] });
    },

    async listDecisions(experimentId, options = {}) {
      const newestFirst = decisions.filter((d) => d.experimentId === experimentId).reverse();
      return structuredClone(options.limit === undefined ? newestFirst : newestFirst.slice(0, options.limit));
    },

    async countDecisions(experimentId) {
      return decisions.filter((d) => d.experimentId === experimentId).length;
    },

    async applyLabelMoves(moves, meta) {
      await checkMoves(moves);
      await applyMoves(moves, meta.actor, meta.reason, meta.now);
    },
  };
}
