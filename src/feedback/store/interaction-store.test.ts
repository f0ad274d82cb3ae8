import { createSqlitePromptStore } from "../../prompts/store/sqlite-prompt-store.js";
import { createInMemoryInteractionStore } from "./in-memory-interaction-store.js";
import { interactionStoreContract } from "./interaction-store.contract.js";
import { openSqliteDatabase } from "../../storage/sqlite/open-sqlite-database.js";
import { createSqliteInteractionStore } from "./sqlite-interaction-store.js";

interactionStoreContract("in-memory", async () => createInMemoryInteractionStore());

interactionStoreContract("sqlite", async () => {
  const { db } = await openSqliteDatabase(":memory:");
  // Interactions reference their prompt version (a foreign key), as in production.
  await createSqlitePromptStore(db).saveVersion({
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
  return createSqliteInteractionStore(db);
});
