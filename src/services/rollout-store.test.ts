import { createInMemoryPromptStore } from "../prompts/in-memory-prompt-store.js";
import { createSqlitePromptStore } from "../prompts/sqlite-prompt-store.js";
import { openSqliteDatabase } from "../storage/sqlite/open-sqlite-database.js";
import { createInMemoryRolloutStore } from "./rollout-in-memory-store.js";
import { createSqliteRolloutStore } from "./rollout-sqlite-store.js";
import { rolloutStoreContract } from "./rollout-store.contract.js";

rolloutStoreContract("in-memory", async () => {
  const prompts = createInMemoryPromptStore();
  return { prompts, rollouts: createInMemoryRolloutStore(prompts) };
});
rolloutStoreContract("sqlite", async () => {
  const { db } = await openSqliteDatabase(":memory:");
  return { prompts: createSqlitePromptStore(db), rollouts: createSqliteRolloutStore(db) };
});
