import { type Kysely, type Migration } from "kysely";

/**
 * How a registry file wrote each imported version (`system_prompt:` for `system:`, a text changelog, a Chinese
 * status name such as 待淘汰), so `prompts export` writes it back in the shape it came in. Null: canonical.
 */
export const promptYamlShapeMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("prompt_versions").addColumn("yaml_shape", "text").execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable("prompt_versions").dropColumn("yaml_shape").execute();
  },
};
