import { AppError } from "../../errors.js";
import type { LabelMoveReasonParams, PromptStore } from "../../prompts/store/prompt-store.js";
import {
  labelMoveOf,
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

  /** Through the prompt store's moveLabels, which checks every move before it changes anything. */
  async function applyMoves(
    moves: readonly LabelMovePlan[],
    actor: string,
    context: string,
    now: number,
    params?: LabelMoveReasonParams,
  ) {
    await prompts.moveLabels(
      moves.map((move) => labelMoveOf(move, context, params)),
      { actor, reason: context, now, conflictCode: "ROLLOUT_CONFLICT" },
    );
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
    async startExperiment(experiment, decision, moves, moveParams) {
      const open = [...experiments.values()].find((e) => e.task === experiment.task && isOpen(e));
      if (open)
        throw new AppError(
          "ROLLOUT_CONFLICT",
          `Experiment ${open.experimentId} is still open for ${experiment.task}`,
        );
      await applyMoves(
        moves,
        decision.actor,
        `(experiment ${experiment.experimentId}: ${decision.reason})`,
        decision.decidedAt,
        { experimentId: experiment.experimentId, ...moveParams },
      );
      experiments.set(experiment.experimentId, structuredClone(experiment));
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

    async recordDecision({ decision, expected, change, moves, moveParams }) {
      const experiment = experiments.get(decision.experimentId);
      if (!experiment) throw new AppError("NOT_FOUND", `No experiment ${decision.experimentId}`);
      if (experiment.status !== expected.status || experiment.stageIndex !== expected.stageIndex) {
        throw new AppError(
          "ROLLOUT_CONFLICT",
          `Experiment ${decision.experimentId} changed meanwhile (now ${experiment.status}, stage ` +
            `${experiment.stageIndex}); nothing was changed`,
        );
      }
      await applyMoves(
        moves,
        decision.actor,
        `(experiment ${decision.experimentId}: ${decision.reason})`,
        decision.decidedAt,
        { experimentId: decision.experimentId, ...moveParams },
      );
      if (change) {
        const defined = Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined));
        experiments.set(decision.experimentId, { ...experiment, ...defined, updatedAt: decision.decidedAt });
      }
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
      await applyMoves(moves, meta.actor, meta.reason, meta.now, meta.params);
    },
  };
}
