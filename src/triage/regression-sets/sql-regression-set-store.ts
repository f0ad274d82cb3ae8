import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../storage/database-schema.js";
import type {
  ChangeContext,
  ExpectedLabelOrigin,
  RegressionSet,
  RegressionSetAction,
  RegressionSetStore,
} from "./regression-set-store.js";

type Db = Kysely<Database> | Transaction<Database>;

async function logChange(
  db: Db,
  setId: string,
  action: RegressionSetAction,
  context: ChangeContext,
  detail: Record<string, unknown> = {},
  interactionId: string | null = null,
): Promise<void> {
  await db
    .insertInto("regression_set_changes")
    .values({
      set_id: setId,
      action,
      interaction_id: interactionId,
      detail: JSON.stringify(detail),
      actor: context.actor,
      created_at: context.at,
    })
    .execute();
}

function setsQuery(db: Db) {
  return db
    .selectFrom("regression_sets as s")
    .select(["s.id", "s.task", "s.name", "s.created_by", "s.created_at", "s.updated_at"])
    .select((eb) =>
      eb
        .selectFrom("regression_set_items as i")
        .select((count) => count.fn.countAll<number>().as("n"))
        .whereRef("i.set_id", "=", "s.id")
        .as("items"),
    );
}

type SetRow = Awaited<ReturnType<ReturnType<typeof setsQuery>["executeTakeFirstOrThrow"]>>;

const toSet = (row: SetRow): RegressionSet => ({
  id: row.id,
  task: row.task,
  name: row.name,
  createdBy: row.created_by,
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
  items: Number(row.items ?? 0),
});

/** The RegressionSetStore on SQLite or PostgreSQL; each change and its audit line are one transaction. */
export function createSqlRegressionSetStore(db: Kysely<Database>): RegressionSetStore {
  const touch = (trx: Db, id: string, at: number) =>
    trx.updateTable("regression_sets").set({ updated_at: at }).where("id", "=", id).execute();
  const get = async (id: string) => {
    const row = await setsQuery(db).where("s.id", "=", id).executeTakeFirst();
    return row && toSet(row);
  };
  return {
    async create(set, context) {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto("regression_sets")
          .values({
            id: set.id,
            task: set.task,
            name: set.name,
            created_by: context.actor,
            created_at: context.at,
            updated_at: context.at,
          })
          .execute();
        await logChange(trx, set.id, "create", context, { task: set.task, name: set.name });
      });
      return (await get(set.id))!;
    },
    get,
    async findByName(task, name) {
      const row = await setsQuery(db)
        .where("s.task", "=", task)
        .where("s.name", "=", name)
        .executeTakeFirst();
      return row && toSet(row);
    },
    async list(task) {
      let query = setsQuery(db);
      if (task !== undefined) query = query.where("s.task", "=", task);
      const rows = await query.orderBy("s.created_at", "desc").orderBy("s.id", "desc").execute();
      return rows.map(toSet);
    },
    async rename(id, name, context) {
      return db.transaction().execute(async (trx) => {
        const before = await trx
          .selectFrom("regression_sets")
          .select("name")
          .where("id", "=", id)
          .executeTakeFirst();
        if (before === undefined) return false;
        await trx
          .updateTable("regression_sets")
          .set({ name, updated_at: context.at })
          .where("id", "=", id)
          .execute();
        await logChange(trx, id, "rename", context, { from: before.name, to: name });
        return true;
      });
    },
    async delete(id, context) {
      return db.transaction().execute(async (trx) => {
        const before = await trx
          .selectFrom("regression_sets")
          .select(["name", "task"])
          .where("id", "=", id)
          .executeTakeFirst();
        if (before === undefined) return false;
        await trx.deleteFrom("regression_set_items").where("set_id", "=", id).execute();
        await trx.deleteFrom("regression_sets").where("id", "=", id).execute();
        await logChange(trx, id, "delete", context, { task: before.task, name: before.name });
        return true;
      });
    },
    async putItem(setId, item, context) {
      return db.transaction().execute(async (trx) => {
        const existing = await trx
          .selectFrom("regression_set_items")
          .select(["expected_label", "expected_source"])
          .where("set_id", "=", setId)
          .where("interaction_id", "=", item.interactionId)
          .executeTakeFirst();
        const detail = { expectedLabel: item.expectedLabel, expectedSource: item.expectedSource };
        if (existing === undefined) {
          await trx
            .insertInto("regression_set_items")
            .values({
              set_id: setId,
              interaction_id: item.interactionId,
              expected_label: item.expectedLabel,
              expected_source: item.expectedSource,
              added_by: context.actor,
              added_at: context.at,
            })
            .execute();
          await logChange(trx, setId, "add", context, detail, item.interactionId);
        } else {
          if (
            existing.expected_label === item.expectedLabel &&
            existing.expected_source === item.expectedSource
          ) {
            return { added: false };
          }
          await trx
            .updateTable("regression_set_items")
            .set({ expected_label: item.expectedLabel, expected_source: item.expectedSource })
            .where("set_id", "=", setId)
            .where("interaction_id", "=", item.interactionId)
            .execute();
          await logChange(
            trx,
            setId,
            "relabel",
            context,
            { ...detail, from: existing.expected_label },
            item.interactionId,
          );
        }
        await touch(trx, setId, context.at);
        return { added: existing === undefined };
      });
    },
    async removeItem(setId, interactionId, context) {
      return db.transaction().execute(async (trx) => {
        const removed = await trx
          .deleteFrom("regression_set_items")
          .where("set_id", "=", setId)
          .where("interaction_id", "=", interactionId)
          .executeTakeFirst();
        if (Number(removed.numDeletedRows) === 0) return false;
        await logChange(trx, setId, "remove", context, {}, interactionId);
        await touch(trx, setId, context.at);
        return true;
      });
    },
    async items(setId) {
      const rows = await db
        .selectFrom("regression_set_items as i")
        .innerJoin("interactions as x", "x.id", "i.interaction_id")
        .select([
          "i.interaction_id",
          "i.expected_label",
          "i.expected_source",
          "i.added_by",
          "i.added_at",
          "x.input",
          "x.prompt_version_id",
          "x.label",
          "x.created_at",
        ])
        .where("i.set_id", "=", setId)
        .orderBy("i.added_at")
        .orderBy("i.interaction_id")
        .execute();
      return rows.map((row) => ({
        interactionId: row.interaction_id,
        expectedLabel: row.expected_label,
        expectedSource: row.expected_source as ExpectedLabelOrigin,
        addedBy: row.added_by,
        addedAt: Number(row.added_at),
        input: row.input,
        promptVersionId: row.prompt_version_id,
        predicted: row.label,
        createdAt: Number(row.created_at),
      }));
    },
    async setsWith(interactionId) {
      return db
        .selectFrom("regression_set_items as i")
        .innerJoin("regression_sets as s", "s.id", "i.set_id")
        .select(["s.id", "s.task", "s.name"])
        .where("i.interaction_id", "=", interactionId)
        .orderBy("s.name")
        .execute();
    },
    async changes(setId, limit) {
      const rows = await db
        .selectFrom("regression_set_changes")
        .selectAll()
        .where("set_id", "=", setId)
        .orderBy("id", "desc")
        .limit(limit)
        .execute();
      return rows.map((row) => ({
        id: Number(row.id),
        setId: row.set_id,
        action: row.action as RegressionSetAction,
        interactionId: row.interaction_id,
        detail: JSON.parse(row.detail) as Record<string, unknown>,
        actor: row.actor,
        at: Number(row.created_at),
      }));
    },
  };
}
