import { sql, type Kysely, type Migration } from "kysely";
import type { SchemaTypes } from "./schema-types.js";

/**
 * Rollout experiments (one candidate against the active version of a task) and every decision taken on them.
 * The policy is snapshotted per experiment, so changing ROLLOUT_POLICY never changes the rules of a running one.
 */
export function rolloutsMigration(types: SchemaTypes): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("experiments")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("task", "text", (c) => c.notNull())
        .addColumn("control_version_id", "text", (c) => c.notNull().references("prompt_versions.id"))
        .addColumn("candidate_version_id", "text", (c) => c.notNull().references("prompt_versions.id"))
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("stage_index", "integer", (c) => c.notNull())
        .addColumn("started_at", "bigint", (c) => c.notNull())
        .addColumn("stage_started_at", "bigint", (c) => c.notNull())
        .addColumn("latency_threshold_ms", types.double)
        .addColumn("policy", "text", (c) => c.notNull())
        .addColumn("started_by", "text", (c) => c.notNull())
        .addColumn("start_reason", "text", (c) => c.notNull())
        .addColumn("ended_at", "bigint")
        .addColumn("updated_at", "bigint", (c) => c.notNull())
        .execute();
      // At most one open (running or halted) experiment per task: the router must never have to choose.
      await db.schema
        .createIndex("experiments_one_open_per_task")
        .on("experiments")
        .column("task")
        .unique()
        .where(sql.ref("status"), "in", sql`('running', 'halted')`)
        .execute();
      await db.schema
        .createIndex("experiments_task_started")
        .on("experiments")
        .columns(["task", "started_at"])
        .execute();

      await db.schema
        .createTable("rollout_decisions")
        .addColumn("id", types.serialId.type, types.serialId.build)
        .addColumn("experiment_id", "text", (c) => c.notNull().references("experiments.id"))
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("reason_code", "text", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("statistics", "text")
        .addColumn("label_moves", "text", (c) => c.notNull().defaultTo("[]"))
        .addColumn("stage_index", "integer", (c) => c.notNull())
        .addColumn("actor", "text", (c) => c.notNull())
        .addColumn("decided_at", "bigint", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("rollout_decisions_experiment")
        .on("rollout_decisions")
        .columns(["experiment_id", "id"])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable("rollout_decisions").ifExists().execute();
      await db.schema.dropTable("experiments").ifExists().execute();
    },
  };
}
