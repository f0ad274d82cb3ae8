import { onPostgres } from "../../../test/support/postgres/on-postgres.js";
import type { OpenedDatabase } from "../../storage/opened-database.js";
import { describe, expect, it } from "vitest";
import type { InteractionStore } from "./interaction-store.js";
import { createSqlPromptStore } from "../../prompts/store/sql-prompt-store.js";
import { createInMemoryInteractionStore } from "./in-memory-interaction-store.js";
import { interactionStoreContract } from "./interaction-store.contract.js";
import { interactionStoreGuardsContract } from "./interaction-store-guards.contract.js";
import { openSqliteDatabase } from "../../storage/sqlite/open-sqlite-database.js";
import { createSqlInteractionStore } from "./sql-interaction-store.js";
import { pageQuery } from "./stream-by-pages.js";
import { sampleInteraction } from "./test-support/sample-interaction.js";

interactionStoreContract("in-memory", async () => createInMemoryInteractionStore());
interactionStoreGuardsContract("in-memory", async () => createInMemoryInteractionStore());

async function seeded({ db, monitor, dialect }: OpenedDatabase): Promise<InteractionStore> {
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
  return createSqlInteractionStore(db, monitor, dialect);
}

interactionStoreContract("sqlite", async () => seeded(await openSqliteDatabase(":memory:")));
interactionStoreGuardsContract("sqlite", async () => seeded(await openSqliteDatabase(":memory:")));
describe("the analysis stream on SQLite", () => {
  it("seeks each keyset page's start in the created_at index instead of walking from the window's start", async () => {
    const { db, sqlite } = await openSqliteDatabase(":memory:");
    const after = { createdAt: 5000, id: "id-00042" };
    // The analysis streams `{ since }` (or `{}` with ANALYSIS_WINDOW_DAYS=0).
    for (const query of [{}, { since: 1000 }]) {
      const page = pageQuery(db, query, after).compile();
      const plan = sqlite!
        .prepare(`explain query plan ${page.sql}`)
        .all(...page.parameters)
        .map((row) => (row as { detail: string }).detail);
      const seeks = plan.some((detail) =>
        /^SEARCH interactions USING INDEX \w+ \(.*created_at>/.test(detail),
      );
      expect(seeks, plan.join("; ")).toBe(true);
      // The index range starts at the page, not at `since`: the page's start is the only lower bound.
      expect(page.sql.match(/"created_at" >= \?/g)).toHaveLength(1);
      expect(page.parameters).toContain(after.createdAt);
      expect(page.parameters).not.toContain(1000);
    }
  });
});

onPostgres((open) => {
  interactionStoreContract("postgres", async () => seeded(await open()));
  interactionStoreGuardsContract("postgres", async () => seeded(await open()));

  describe("the analysis stream on PostgreSQL", () => {
    it("reads one snapshot through a cursor: rows recorded after it started are not seen, however long it is", async () => {
      const store = await seeded(await open());
      // More than keyset paging fetches at once (500), so a paged read would see the late rows.
      const total = 1300;
      for (let i = 0; i < total; i++)
        await store.record(sampleInteraction(`c${String(i).padStart(5, "0")}`, 1000 + i));
      const seen: string[] = [];
      for await (const { interaction } of store.streamWithFeedback()) {
        if (seen.length === 0) {
          await store.record(sampleInteraction("late-interaction", 1_000_000));
          await store.appendFeedback({
            interactionId: `c${String(total - 1).padStart(5, "0")}`,
            type: "copy",
            payload: {},
            sessionHash: null,
            createdAt: 1_000_001,
          });
        }
        seen.push(interaction.id);
      }
      expect(seen).toHaveLength(total);
      expect(seen).not.toContain("late-interaction");
      const after: string[] = [];
      for await (const { interaction, events } of store.streamWithFeedback({ since: 1000 + total - 1 }))
        after.push(`${interaction.id}:${events.length}`);
      expect(after).toEqual([`c${String(total - 1).padStart(5, "0")}:1`, "late-interaction:0"]);
    });
  });
});
