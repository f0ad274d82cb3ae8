import { describe, expect, it } from "vitest";
import { onPostgres } from "../../test/support/postgres/on-postgres.js";
import { createSqlInteractionStore } from "../../src/feedback/store/sql-interaction-store.js";
import type { InteractionWithFeedback } from "../../src/feedback/store/interaction-store.js";
import type { OpenedDatabase } from "../../src/storage/opened-database.js";
import { openSqliteDatabase } from "../../src/storage/sqlite/open-sqlite-database.js";
import { syntheticFeedback } from "../analysis-scale.js";
import { seedFeedbackHistory } from "./seed-feedback-history.js";

const events = 3000;

/** Seeds the bench's history and reads it back the way the analysis does. */
async function seedAndStream(database: OpenedDatabase) {
  const seeded = await seedFeedbackHistory(database, { events, seed: 7 });
  const store = createSqlInteractionStore(database.db, database.monitor, database.dialect);
  const streamed: InteractionWithFeedback[] = [];
  for await (const item of store.streamWithFeedback()) streamed.push(item);
  return { seeded, streamed, counts: await store.counts() };
}

describe("the analysis-storage bench's seeding", () => {
  it("stores analysis-scale's synthetic history as generated, and the stream reads it back", async () => {
    const { seeded, streamed, counts } = await seedAndStream(await openSqliteDatabase(":memory:"));
    const generated = [...syntheticFeedback(events, 7)];
    expect(seeded).toMatchObject({ interactions: generated.length, events });
    expect(counts).toEqual({ interactions: generated.length, feedbackEvents: events });
    expect(streamed.map((item) => item.interaction.id).sort()).toEqual(
      generated.map((item) => item.interaction.id).sort(),
    );
    const byId = new Map(streamed.map((item) => [item.interaction.id, item]));
    for (const { interaction, events: expected } of generated) {
      const stored = byId.get(interaction.id)!;
      expect(stored.interaction).toMatchObject({
        task: interaction.task,
        promptVersionId: interaction.promptVersionId,
        input: interaction.input,
        label: interaction.predictedLabel,
        createdAt: interaction.createdAt,
      });
      expect(
        stored.events.map(({ id, type, payload, createdAt }) => ({ id, type, payload, createdAt })),
      ).toEqual(expected.map(({ id, type, payload, createdAt }) => ({ id, type, payload, createdAt })));
    }
  });
});

onPostgres((open) => {
  describe("the analysis-storage bench's seeding on PostgreSQL", () => {
    it("gives the analysis exactly what SQLite gives it", async () => {
      const onSqlite = await seedAndStream(await openSqliteDatabase(":memory:"));
      const onPostgres = await seedAndStream(await open());
      expect(onPostgres.counts).toEqual(onSqlite.counts);
      expect(onPostgres.streamed).toEqual(onSqlite.streamed);
    });
  });
});
