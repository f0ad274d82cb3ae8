import { onPostgres } from "../../../test/support/postgres/on-postgres.js";
import { createInMemoryPromptStore } from "../../prompts/store/in-memory-prompt-store.js";
import { createSqlitePromptStore } from "../../prompts/store/sqlite-prompt-store.js";
import { openSqliteDatabase } from "../../storage/sqlite/open-sqlite-database.js";
import { createInMemoryRolloutStore } from "./in-memory-rollout-store.js";
import { createSqliteRolloutStore } from "./sqlite-rollout-store.js";
import { rolloutStoreContract } from "./rollout-store.contract.js";

rolloutStoreContract("in-memory", async () => {
  const prompts = createInMemoryPromptStore();
  return { prompts, rollouts: createInMemoryRolloutStore(prompts) };
});
rolloutStoreContract("sqlite", async () => {
  const { db } = await openSqliteDatabase(":memory:");
  return { prompts: createSqlitePromptStore(db), rollouts: createSqliteRolloutStore(db) };
});
onPostgres((open) =>
  rolloutStoreContract("postgres", async () => {
    const db = await open();
    return { prompts: createSqlitePromptStore(db), rollouts: createSqliteRolloutStore(db) };
  }),
);
