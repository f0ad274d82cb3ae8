import { sql } from "kysely";
import type { InteractionWithFeedback } from "../../src/analysis/core/analysis-input.js";
import { createSqlPromptStore } from "../../src/prompts/store/sql-prompt-store.js";
import type { OpenedDatabase } from "../../src/storage/opened-database.js";
import { syntheticFeedback } from "../analysis-scale.js";

/** The synthetic history's end (analysis-scale.ts spreads it over May 2025): "now" for the analysis of it. */
export const historyEndsAt = Date.UTC(2025, 5, 1);

const chatReply = "今天多云转晴，气温十八到二十五度，出门记得带件外套。";

/** The versions the synthetic history refers to (interactions reference them), with `active` on the v1s. */
async function seedPromptVersions(database: OpenedDatabase): Promise<void> {
  const prompts = createSqlPromptStore(database.db);
  const sentiment = {
    task: "sentiment",
    kind: "classifier" as const,
    systemPrompt: "你是一个冷酷的情感分析师。判断用户输入的情感倾向，输出只能是'正面'或'负面'。",
    labels: ["正面", "负面"],
  };
  await prompts.saveVersion({ definition: { ...sentiment, version: "v1" }, source: "file", createdAt: 0 });
  await prompts.saveVersion({ definition: { ...sentiment, version: "v2" }, source: "file", createdAt: 1 });
  await prompts.saveVersion({
    definition: { task: "chat", version: "v1", kind: "generator", systemPrompt: "你是一个乐于助人的助手。" },
    source: "file",
    createdAt: 2,
  });
  await prompts.moveLabels(
    [
      { task: "sentiment", label: "active", toVersionId: "sentiment@v1" },
      { task: "chat", label: "active", toVersionId: "chat@v1" },
    ],
    { actor: "bench", reason: "seed", now: 3 },
  );
}

/**
 * One interaction row and its event rows, in the tables' column order. The generator leaves sessions out; stored
 * feedback has them (the analysis caps each session's share of the labels), so every 4 interactions make a session.
 */
function rowsOf({ interaction: i, events }: InteractionWithFeedback) {
  const isChat = i.predictedLabel === null;
  const session = `session-${Math.floor(Number(i.id.slice(1)) / 4)}`;
  return {
    interaction: [
      i.id,
      i.task,
      i.promptVersionId,
      null,
      session,
      null,
      i.input,
      isChat ? chatReply : i.predictedLabel,
      i.predictedLabel,
      i.confidence,
      isChat ? 900 : 40,
      "ok",
      null,
      null,
      null,
      i.createdAt,
      i.createdAt + (isChat ? 900 : 40),
    ] as const,
    events: events.map((e) => [e.id, i.id, e.type, JSON.stringify(e.payload), session, e.createdAt] as const),
  };
}

const interactionColumns =
  "id, task, prompt_version_id, parent_id, session_hash, user_hash, input, output, label, confidence, latency_ms, status, error_code, experiment_id, arm, created_at, completed_at";
const eventColumns = "id, interaction_id, type, payload, session_hash, created_at";

export interface SeedResult {
  interactions: number;
  events: number;
  seconds: number;
}

/**
 * Writes analysis-scale's synthetic history (`events` feedback events over about half as many interactions) into
 * a freshly migrated database, the fastest way each offers: one transaction of prepared inserts on SQLite, and
 * multi-row `insert … select * from unnest(…)` of 10,000 rows on PostgreSQL. Never through HTTP: this is set-up.
 */
export async function seedFeedbackHistory(
  database: OpenedDatabase,
  options: { events: number; seed: number; onProgress?: (events: number) => void },
): Promise<SeedResult> {
  const started = performance.now();
  await seedPromptVersions(database);
  const counts = { interactions: 0, events: 0 };
  const history = syntheticFeedback(options.events, options.seed);
  if (database.sqlite) {
    const sqlite = database.sqlite;
    const insertInteraction = sqlite.prepare(
      `insert into interactions (${interactionColumns}) values (${Array(17).fill("?").join(", ")})`,
    );
    const insertEvent = sqlite.prepare(
      `insert into feedback_events (${eventColumns}) values (?, ?, ?, ?, ?, ?)`,
    );
    const insertBatch = sqlite.transaction((batch: InteractionWithFeedback[]) => {
      for (const item of batch) {
        const rows = rowsOf(item);
        insertInteraction.run(...rows.interaction);
        for (const event of rows.events) insertEvent.run(...event);
      }
    });
    for (const batch of batches(history, 10_000)) {
      insertBatch(batch);
      count(batch);
    }
  } else {
    for (const batch of batches(history, 10_000)) {
      const rows = batch.map(rowsOf);
      const interactionArrays = columns(rows.map((r) => r.interaction));
      const eventArrays = columns(rows.flatMap((r) => r.events));
      const types = [
        "text",
        "text",
        "text",
        "text",
        "text",
        "text",
        "text",
        "text",
        "text",
        "float8",
        "float8",
      ];
      const interactionTypes = [...types, "text", "text", "text", "text", "int8", "int8"];
      await database.db.transaction().execute(async (trx) => {
        await sql`insert into interactions (${sql.raw(interactionColumns)}) select * from unnest(${sql.join(
          interactionArrays.map((values, n) => sql`${values}::${sql.raw(interactionTypes[n]!)}[]`),
        )})`.execute(trx);
        const eventTypes = ["int8", "text", "text", "text", "text", "int8"];
        if (eventArrays.length === 0) return;
        await sql`insert into feedback_events (${sql.raw(eventColumns)}) select * from unnest(${sql.join(
          eventArrays.map((values, n) => sql`${values}::${sql.raw(eventTypes[n]!)}[]`),
        )})`.execute(trx);
      });
      count(batch);
    }
    // Ids were given explicitly: move the identity past them, as after ordinary inserts, and refresh statistics.
    await sql`select setval(pg_get_serial_sequence('feedback_events', 'id'), ${counts.events})`.execute(
      database.db,
    );
    await sql`analyze`.execute(database.db);
  }
  return { ...counts, seconds: (performance.now() - started) / 1000 };

  function count(batch: InteractionWithFeedback[]): void {
    counts.interactions += batch.length;
    for (const item of batch) counts.events += item.events.length;
    options.onProgress?.(counts.events);
  }
}

function* batches<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** Rows → one array per column (what unnest takes). */
function columns(rows: ReadonlyArray<readonly unknown[]>): unknown[][] {
  const width = rows[0]?.length ?? 0;
  return Array.from({ length: width }, (_, n) => rows.map((row) => row[n]));
}
