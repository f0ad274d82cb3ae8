import { describe, expect, it } from "vitest";
import { onPostgres } from "../../../test/support/postgres/on-postgres.js";
import { createSqlPromptStore } from "../../prompts/store/sql-prompt-store.js";
import type { OpenedDatabase } from "../../storage/opened-database.js";
import { openSqliteDatabase } from "../../storage/sqlite/open-sqlite-database.js";
import { expireInteractions } from "./expire-interactions.js";
import type { Interaction } from "./interaction-store.js";
import { createSqlInteractionStore } from "./sql-interaction-store.js";
import { sampleInteraction } from "./test-support/sample-interaction.js";

const day = 86_400_000;
const now = Date.UTC(2026, 5, 30);

const interaction = (id: string, ageDays: number, extra: Partial<Interaction> = {}): Interaction =>
  sampleInteraction(id, now - ageDays * day, extra);

function retentionSuite(dialect: string, open: () => Promise<OpenedDatabase>): void {
  describe(`retention on ${dialect}`, () => {
    it("deletes old interactions with their feedback, keeps open experiments' and newer ones, and keeps the totals", async () => {
      const database = await open();
      const { db } = database;
      const prompts = createSqlPromptStore(db);
      for (const version of ["v1", "v2"]) {
        await prompts.saveVersion({
          definition: {
            task: "sentiment",
            version,
            kind: "classifier",
            systemPrompt: version,
            labels: ["正面", "负面"],
          },
          source: "file",
          createdAt: 0,
        });
      }
      await db
        .insertInto("experiments")
        .values({
          id: "exp-open",
          task: "sentiment",
          control_version_id: "sentiment@v1",
          candidate_version_id: "sentiment@v2",
          status: "running",
          stage_index: 0,
          started_at: now - 400 * day,
          stage_started_at: now - 400 * day,
          latency_threshold_ms: null,
          policy: "{}",
          started_by: "test",
          start_reason: "test",
          ended_at: null,
          updated_at: now,
        })
        .execute();
      const store = createSqlInteractionStore(db, database.monitor, database.dialect);
      // 1,200 old ones: more than two deletion batches.
      for (let i = 0; i < 1200; i++) {
        await store.record(interaction(`old-${i}`, 200 + (i % 3), i % 10 === 0 ? { status: "error" } : {}));
        if (i % 2 === 0) {
          await store.appendFeedback({
            interactionId: `old-${i}`,
            type: "label_correct",
            payload: { label: "负面" },
            sessionHash: null,
            createdAt: now - 200 * day,
          });
        }
      }
      await store.record(interaction("in-experiment", 300, { experimentId: "exp-open", arm: "control" }));
      await store.record(interaction("recent", 10));
      await store.record(interaction("reply-to-old", 10, { parentId: "old-0" }));
      await store.appendFeedback({
        interactionId: "recent",
        type: "copy",
        payload: {},
        sessionHash: null,
        createdAt: now,
      });

      const result = await expireInteractions(db, now - 180 * day);

      expect(result).toEqual({ interactions: 1200, feedbackEvents: 600 });
      const left = await db.selectFrom("interactions").select(["id", "parent_id"]).orderBy("id").execute();
      expect(left).toEqual([
        { id: "in-experiment", parent_id: null },
        { id: "recent", parent_id: null },
        { id: "reply-to-old", parent_id: null },
      ]);
      expect(await store.counts()).toEqual({ interactions: 3, feedbackEvents: 1 });
      const totals = await db
        .selectFrom("retained_totals")
        .select(["measure", (eb) => eb.fn.sum<number>("count").as("total")])
        .groupBy("measure")
        .orderBy("measure")
        .execute();
      expect(totals.map((row) => [row.measure, Number(row.total)])).toEqual([
        ["feedback:label_correct", 600],
        ["interactions", 1200],
        ["status:error", 120],
        ["status:ok", 1080],
      ]);
      const days = await db.selectFrom("retained_totals").select("day").distinct().orderBy("day").execute();
      expect(days).toHaveLength(3);
      // A second pass finds nothing more, and adds nothing twice.
      expect(await expireInteractions(db, now - 180 * day)).toEqual({ interactions: 0, feedbackEvents: 0 });
    }, 120_000);
  });
}

retentionSuite("sqlite", () => openSqliteDatabase(":memory:"));
onPostgres((open) => retentionSuite("postgres", open));
