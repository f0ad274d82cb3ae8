import { onPostgres } from "../../../test/support/postgres/on-postgres.js";
import type { OpenedDatabase } from "../../storage/opened-database.js";
import type { InteractionStore } from "./interaction-store.js";
import { createSqlPromptStore } from "../../prompts/store/sql-prompt-store.js";
import { createInMemoryInteractionStore } from "./in-memory-interaction-store.js";
import { interactionStoreContract } from "./interaction-store.contract.js";
import { interactionStoreGuardsContract } from "./interaction-store-guards.contract.js";
import { openSqliteDatabase } from "../../storage/sqlite/open-sqlite-database.js";
import { createSqlInteractionStore } from "./sql-interaction-store.js";

interactionStoreContract("in-memory", async () => createInMemoryInteractionStore());
interactionStoreGuardsContract("in-memory", async () => createInMemoryInteractionStore());

async function seeded({ db, monitor }: OpenedDatabase): Promise<InteractionStore> {
  // Interactions reference their prompt version (a foreign key), as in production.
  await createSqlPromptStore(db).saveVersion({
    definition: {
      task: "sentiment",
      version: "v1",
      kind: "classifier",
      systemPrompt: "s",
      labels: ["正面", "负面"],
    },
    source: "file",
    createdAt: 0,
  });
  return createSqlInteractionStore(db, monitor);
}

interactionStoreContract("sqlite", async () => seeded(await openSqliteDatabase(":memory:")));
interactionStoreGuardsContract("sqlite", async () => seeded(await openSqliteDatabase(":memory:")));
onPostgres((open) => {
  interactionStoreContract("postgres", async () => seeded(await open()));
  interactionStoreGuardsContract("postgres", async () => seeded(await open()));
});
