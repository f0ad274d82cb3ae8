import { onPostgres } from "../../../test/support/postgres/on-postgres.js";
import { createInMemoryPromptStore } from "../../prompts/store/in-memory-prompt-store.js";
import { createSqlPromptStore } from "../../prompts/store/sql-prompt-store.js";
import { openSqliteDatabase } from "../../storage/sqlite/open-sqlite-database.js";
import { createInMemoryRolloutStore } from "./in-memory-rollout-store.js";
import { createSqlRolloutStore } from "./sql-rollout-store.js";
import { rolloutStoreContract } from "./rollout-store.contract.js";

rolloutStoreContract("in-memory", async () => {
  const prompts = createInMemoryPromptStore();
  return { prompts, rollouts: createInMemoryRolloutStore(prompts) };
});
rolloutStoreContract("sqlite", async () => {
  const { db } = await openSqliteDatabase(":memory:");
  return { prompts: createSqlPromptStore(db), rollouts: createSqlRolloutStore(db) };
});
onPostgres((open) =>
  rolloutStoreContract("postgres", async () => {
    const { db } = await open();
    return { prompts: createSqlPromptStore(db), rollouts: createSqlRolloutStore(db) };
  }),
);
