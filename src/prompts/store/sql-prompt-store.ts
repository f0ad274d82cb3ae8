import type { Kysely, Selectable } from "kysely";
import { AppError } from "../../errors.js";
import type { Database, PromptVersionsTable } from "../../storage/database-schema.js";
import {
  canonicalJson,
  contentHash,
  promptVersionId,
  type PromptDefinition,
} from "../../tasks/prompt-definition.js";
import type {
  LabelMoveReasonParams,
  PromptSource,
  PromptStore,
  PromptVersion,
  YamlEntryShape,
} from "./prompt-store.js";
import { writeLabelMoves } from "./sqlite-label-writer.js";
import { parsePromptLabelName } from "../prompt-label.js";

function toVersion(row: Selectable<PromptVersionsTable>): PromptVersion {
  return {
    id: row.id,
    definition: JSON.parse(row.definition) as PromptDefinition,
    contentHash: row.content_hash,
    parentId: row.parent_id,
    source: row.source as PromptSource,
    changelog: JSON.parse(row.changelog) as Record<string, unknown>,
    createdAt: Number(row.created_at),
    ...(row.yaml_shape !== null && { yamlShape: JSON.parse(row.yaml_shape) as YamlEntryShape }),
  };
}

export function createSqlPromptStore(db: Kysely<Database>): PromptStore {
  async function getVersion(id: string) {
    const row = await db.selectFrom("prompt_versions").selectAll().where("id", "=", id).executeTakeFirst();
    return row && toVersion(row);
  }

  return {
    getVersion,

    async saveVersion({ definition, parentId = null, source, changelog = {}, createdAt, yamlShape }) {
      const id = promptVersionId(definition.task, definition.version);
      const hash = contentHash(definition);
      const existing = await getVersion(id);
      if (existing) {
        if (existing.contentHash !== hash) {
          throw new AppError(
            "PROMPT_VERSION_CONFLICT",
            `Prompt version ${id} already exists with different content. Versions are immutable: ` +
              `give the changed prompt a new version id.`,
            { details: { id } },
          );
        }
        return { version: existing, created: false };
      }
      if (parentId !== null && !(await getVersion(parentId))) {
        throw new AppError("PROMPT_VERSION_NOT_FOUND", `Parent version ${parentId} does not exist`);
      }
      await db
        .insertInto("prompt_versions")
        .values({
          id,
          task: definition.task,
          version: definition.version,
          kind: definition.kind,
          content_hash: hash,
          definition: canonicalJson(definition),
          parent_id: parentId,
          source,
          changelog: JSON.stringify(changelog),
          created_at: createdAt,
          yaml_shape: yamlShape && Object.keys(yamlShape).length > 0 ? JSON.stringify(yamlShape) : null,
        })
        .execute();
      return { version: (await getVersion(id))!, created: true };
    },

    async listVersions(task) {
      let q = db.selectFrom("prompt_versions").selectAll();
      if (task !== undefined) q = q.where("task", "=", task);
      return (await q.orderBy("created_at").orderBy("id").execute()).map(toVersion);
    },

    async listLabels(task) {
      let q = db.selectFrom("prompt_labels").selectAll();
      if (task !== undefined) q = q.where("task", "=", task);
      const rows = await q.orderBy("task").orderBy("label").execute();
      return rows.map((r) => ({
        task: r.task,
        label: parsePromptLabelName(r.label),
        versionId: r.version_id,
        updatedAt: Number(r.updated_at),
      }));
    },

    async moveLabels(moves, meta) {
      await db.transaction().execute((trx) => writeLabelMoves(trx, moves, meta));
    },

    async listMoves(task) {
      let q = db.selectFrom("prompt_label_moves").selectAll();
      if (task !== undefined) q = q.where("task", "=", task);
      const rows = await q.orderBy("id").execute();
      return rows.map((r) => ({
        id: r.id,
        task: r.task,
        label: parsePromptLabelName(r.label),
        fromVersionId: r.from_version_id,
        toVersionId: r.to_version_id,
        actor: r.actor,
        reason: r.reason,
        reasonCode: r.reason_code,
        reasonParams:
          r.reason_params === null ? null : (JSON.parse(r.reason_params) as LabelMoveReasonParams),
        createdAt: Number(r.created_at),
      }));
    },
  };
}
