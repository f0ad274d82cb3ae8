import { onPostgres } from "../../../test/support/postgres/on-postgres.js";
import { createInMemoryInteractionStore } from "../../feedback/store/in-memory-interaction-store.js";
import { createSqlInteractionStore } from "../../feedback/store/sql-interaction-store.js";
import { createSqlPromptStore } from "../../prompts/store/sql-prompt-store.js";
import type { OpenedDatabase } from "../../storage/opened-database.js";
import { openSqliteDatabase } from "../../storage/sqlite/open-sqlite-database.js";
import { createInMemoryRegressionSetStore } from "./in-memory-regression-set-store.js";
import { regressionSetStoreContract } from "./regression-set-store.contract.js";
import { createSqlRegressionSetStore } from "./sql-regression-set-store.js";

regressionSetStoreContract("in-memory", async () => {
  const interactions = createInMemoryInteractionStore();
  return { sets: createInMemoryRegressionSetStore(interactions), interactions };
});

async function seeded({ db, monitor, dialect }: OpenedDatabase) {
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
  return {
    sets: createSqlRegressionSetStore(db),
    interactions: createSqlInteractionStore(db, monitor, dialect),
  };
}

regressionSetStoreContract("sqlite", async () => seeded(await openSqliteDatabase(":memory:")));
onPostgres((open) => {
  regressionSetStoreContract("postgres", async () => seeded(await open()));
});
