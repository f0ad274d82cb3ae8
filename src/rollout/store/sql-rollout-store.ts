import type { Kysely, Selectable, Transaction } from "kysely";
import { AppError } from "../../errors.js";
import type { RolloutPolicy } from "../core/rollout-policy.js";
import type { ExperimentStatus } from "../core/rollout-state.js";
import type { Database, ExperimentsTable, RolloutDecisionsTable } from "../../storage/database-schema.js";
import { writeLabelMoves } from "../../prompts/store/sqlite-label-writer.js";
import {
  labelMoveOf,
  type LabelMovePlan,
  type LabelMovesMeta,
  type Experiment,
  type RecordedAction,
  type RolloutDecisionRecord,
  type RolloutStore,
} from "./rollout-store.js";

function toExperiment(row: Selectable<ExperimentsTable>): Experiment {
  return {
    experimentId: row.id,
    task: row.task,
    controlVersionId: row.control_version_id,
    candidateVersionId: row.candidate_version_id,
    status: row.status as ExperimentStatus,
    stageIndex: Number(row.stage_index),
    startedAt: Number(row.started_at),
    stageStartedAt: Number(row.stage_started_at),
    latencyThresholdMs: row.latency_threshold_ms,
    policy: JSON.parse(row.policy) as RolloutPolicy,
    startedBy: row.started_by,
    startReason: row.start_reason,
    endedAt: row.ended_at === null ? null : Number(row.ended_at),
    updatedAt: Number(row.updated_at),
  };
}

function toDecision(row: Selectable<RolloutDecisionsTable>): RolloutDecisionRecord {
  return {
    id: row.id,
    experimentId: row.experiment_id,
    action: row.action as RecordedAction,
    reasonCode: row.reason_code,
    reason: row.reason,
    statistics: row.statistics === null ? null : (JSON.parse(row.statistics) as unknown),
    labelMoves: JSON.parse(row.label_moves) as LabelMovePlan[],
    stageIndex: Number(row.stage_index),
    actor: row.actor,
    decidedAt: Number(row.decided_at),
  };
}

/**
 * Applies planned label moves inside the decision's transaction, through the registry's one label writer: each
 * move must still find the version it was planned from, or the whole transaction fails with ROLLOUT_CONFLICT.
 */
function applyMoves(
  trx: Transaction<Database>,
  moves: readonly LabelMovePlan[],
  meta: LabelMovesMeta,
): Promise<void> {
  return writeLabelMoves(
    trx,
    moves.map((move) => labelMoveOf(move, meta.reason, meta.params)),
    {
      ...meta,
      conflictCode: "ROLLOUT_CONFLICT",
    },
  );
}

/** The RolloutStore on the service's database, SQLite or PostgreSQL (the same one the prompt store uses). */
export function createSqlRolloutStore(db: Kysely<Database>): RolloutStore {
  async function insertDecision(
    trx: Transaction<Database>,
    decision: Parameters<RolloutStore["startExperiment"]>[1],
    moves: readonly LabelMovePlan[],
  ): Promise<number> {
    const row = await trx
      .insertInto("rollout_decisions")
      .values({
        experiment_id: decision.experimentId,
        action: decision.action,
        reason_code: decision.reasonCode,
        reason: decision.reason,
        statistics: decision.statistics === null ? null : JSON.stringify(decision.statistics),
        label_moves: JSON.stringify(moves),
        stage_index: decision.stageIndex,
        actor: decision.actor,
        decided_at: decision.decidedAt,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  }

  return {
    async startExperiment(experiment, decision, moves, moveParams) {
      await db.transaction().execute(async (trx) => {
        const open = await trx
          .selectFrom("experiments")
          .select("id")
          .where("task", "=", experiment.task)
          .where("status", "in", ["running", "halted"])
          .executeTakeFirst();
        if (open) {
          throw new AppError(
            "ROLLOUT_CONFLICT",
            `Experiment ${open.id} is still open for ${experiment.task}`,
          );
        }
        await trx
          .insertInto("experiments")
          .values({
            id: experiment.experimentId,
            task: experiment.task,
            control_version_id: experiment.controlVersionId,
            candidate_version_id: experiment.candidateVersionId,
            status: experiment.status,
            stage_index: experiment.stageIndex,
            started_at: experiment.startedAt,
            stage_started_at: experiment.stageStartedAt,
            latency_threshold_ms: experiment.latencyThresholdMs,
            policy: JSON.stringify(experiment.policy),
            started_by: experiment.startedBy,
            start_reason: experiment.startReason,
            ended_at: experiment.endedAt,
            updated_at: experiment.updatedAt,
          })
          .execute();
        await applyMoves(trx, moves, {
          actor: decision.actor,
          reason: `(experiment ${experiment.experimentId}: ${decision.reason})`,
          now: decision.decidedAt,
          params: { experimentId: experiment.experimentId, ...moveParams },
        });
        await insertDecision(trx, decision, moves);
      });
    },

    async getExperiment(id) {
      const row = await db.selectFrom("experiments").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toExperiment(row);
    },

    async findOpenExperiment(task) {
      const row = await db
        .selectFrom("experiments")
        .selectAll()
        .where("task", "=", task)
        .where("status", "in", ["running", "halted"])
        .executeTakeFirst();
      return row && toExperiment(row);
    },

    async listExperiments(query = {}) {
      let q = db.selectFrom("experiments").selectAll();
      if (query.task !== undefined) q = q.where("task", "=", query.task);
      if (query.statuses !== undefined) {
        if (query.statuses.length === 0) return [];
        q = q.where("status", "in", [...query.statuses]);
      }
      const rows = await q.orderBy("started_at", "desc").orderBy("id", "desc").execute();
      return rows.map(toExperiment);
    },

    async recordDecision({ decision, expected, change, moves, moveParams }) {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom("experiments")
          .selectAll()
          .where("id", "=", decision.experimentId)
          .executeTakeFirst();
        if (!row) throw new AppError("NOT_FOUND", `No experiment ${decision.experimentId}`);
        if (row.status !== expected.status || Number(row.stage_index) !== expected.stageIndex) {
          throw new AppError(
            "ROLLOUT_CONFLICT",
            `Experiment ${decision.experimentId} changed meanwhile (now ${row.status}, stage ${row.stage_index}); ` +
              `nothing was changed`,
          );
        }
        if (change) {
          await trx
            .updateTable("experiments")
            .set({
              ...(change.status !== undefined && { status: change.status }),
              ...(change.stageIndex !== undefined && { stage_index: change.stageIndex }),
              ...(change.stageStartedAt !== undefined && { stage_started_at: change.stageStartedAt }),
              ...(change.latencyThresholdMs !== undefined && {
                latency_threshold_ms: change.latencyThresholdMs,
              }),
              ...(change.endedAt !== undefined && { ended_at: change.endedAt }),
              updated_at: decision.decidedAt,
            })
            .where("id", "=", decision.experimentId)
            .execute();
        }
        await applyMoves(trx, moves, {
          actor: decision.actor,
          reason: `(experiment ${decision.experimentId}: ${decision.reason})`,
          now: decision.decidedAt,
          params: { experimentId: decision.experimentId, ...moveParams },
        });
        const id = await insertDecision(trx, decision, moves);
        return { ...decision, id, labelMoves: [...moves] };
      });
    },

    async listDecisions(experimentId, options = {}) {
      let q = db
        .selectFrom("rollout_decisions")
        .selectAll()
        .where("experiment_id", "=", experimentId)
        .orderBy("id", "desc");
      if (options.limit !== undefined) q = q.limit(options.limit);
      return (await q.execute()).map(toDecision);
    },

    async countDecisions(experimentId) {
      const row = await db
        .selectFrom("rollout_decisions")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("experiment_id", "=", experimentId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async applyLabelMoves(moves, meta) {
      await db.transaction().execute((trx) => applyMoves(trx, moves, meta));
    },
  };
}
