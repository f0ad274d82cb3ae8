import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../../src/config.js";
import { postgresRateLimits } from "../../src/rate-limits/postgres-rate-limits.js";
import { memoryRateLimits, type RateLimits } from "../../src/rate-limits/rate-limits.js";
import { createApp, type App } from "../../src/server/create-app.js";
import { openPostgresDatabase } from "../../src/storage/postgres/open-postgres-database.js";
import { createTinyQwen2Gguf } from "../../test/support/gguf/tiny-qwen2.js";
import {
  findPostgresBin,
  startThrowawayPostgresCluster,
} from "../../test/support/postgres/throwaway-postgres-cluster.js";
import { bundledPromptsDir } from "../lib/bundled-prompts.js";
import { startCpuContention } from "../lib/cpu-contention.js";
import { roundTo, summarize } from "../lib/percentiles.js";
import type { TableRow } from "../lib/render-table.js";
import { progress, runAsScript, type SectionOptions, type SectionResult } from "../lib/section-protocol.js";

const log = (message: string) => progress("rate-limits", message);
const section = "rate-limits";

/** p50/p95 of one counted request (`consume`) over `keys` client addresses, after a warm-up. */
async function consumeLatency(limits: RateLimits, calls: number, keys: number) {
  const limiter = limits.limiter({ name: "bench", points: 1_000_000_000, durationS: 60 });
  const key = (i: number) => `198.51.${Math.floor(i / 256) % 256}.${i % 256}`;
  for (let i = 0; i < 200; i++) await limiter.consume(key(i % keys));
  const ms: number[] = [];
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    await limiter.consume(key(i % keys));
    ms.push(performance.now() - started);
  }
  return summarize(ms);
}

async function startApp(
  databaseUrl: string,
  model: string,
  limited: boolean,
): Promise<{ app: App; base: string }> {
  const budget = limited ? 1_000_000 : 0;
  const config = loadConfig(
    {},
    {
      MODEL_PATH: model,
      DATA_DIR: await fs.mkdtemp(path.join(os.tmpdir(), "promptloop-bench-")),
      DATABASE_URL: databaseUrl,
      PROMPTS_DIR: bundledPromptsDir,
      THREADS: 1,
      CONTEXT_SIZE: 1024,
      LOG_LEVEL: "silent",
      ANALYSIS_CRON: "",
      ROLLOUT_CRON: "off",
      RATE_LIMIT_PER_MINUTE: budget,
      FEEDBACK_RATE_LIMIT_PER_MINUTE: budget,
    },
  );
  const app = await createApp(config, { logger: false });
  return { app, base: await app.server.listen({ host: "127.0.0.1", port: 0 }) };
}

const post = async (base: string, url: string, body: unknown) => {
  const started = performance.now();
  const response = await fetch(`${base}${url}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (response.status >= 300) throw new Error(`${url}: ${response.status} ${JSON.stringify(json)}`);
  return { ms: performance.now() - started, json };
};

/**
 * What sharing the rate limits on PostgreSQL costs a request: `consume()` on this process's memory vs one upsert in
 * PostgreSQL (a durable throwaway cluster, fsync on, over 127.0.0.1), and over real HTTP two apps on the same database
 * with the tiny generated model, one with the limits off and one with them shared, requests interleaved between them:
 * POST /api/sentiment (one counter) and POST /api/feedback (two: address and session).
 */
export async function measureRateLimits(options: SectionOptions): Promise<SectionResult> {
  if (findPostgresBin() === null)
    return {
      figures: {},
      rows: [],
      skipped: "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)",
    };
  const calls = options.quick ? 1000 : 5000;
  const requests = options.quick ? 200 : 600;
  log("starting a throwaway PostgreSQL cluster (fsync on)");
  const cluster = await startThrowawayPostgresCluster({ durable: true });
  const stop = startCpuContention();
  const rows: TableRow[] = [];
  const figures: Record<string, unknown> = { consumeCalls: calls, httpRequestsPerVariant: requests };
  const apps: App[] = [];
  try {
    const database = await openPostgresDatabase(cluster.url);
    try {
      log(`consume(): ${calls} calls over 1000 addresses, memory then PostgreSQL`);
      const memory = await consumeLatency(memoryRateLimits(), calls, 1000);
      const shared = await consumeLatency(postgresRateLimits(database.postgresPool!), calls, 1000);
      figures.consume = {
        memoryP50Ms: roundTo(memory.p50, 4),
        memoryP95Ms: roundTo(memory.p95, 4),
        postgresP50Ms: roundTo(shared.p50, 3),
        postgresP95Ms: roundTo(shared.p95, 3),
      };
      rows.push({
        section,
        metric: "consume() in PostgreSQL (shared), per counted request",
        value: `${roundTo(shared.p50, 3)} ms`,
        note: `p95 ${roundTo(shared.p95, 3)} ms; in memory p50 ${roundTo(memory.p50, 4)} ms, p95 ${roundTo(memory.p95, 4)} ms`,
      });
    } finally {
      await database.close();
    }

    const model = await createTinyQwen2Gguf();
    log("starting two apps on the database: limits off, limits shared");
    const off = await startApp(cluster.url, model, false);
    apps.push(off.app);
    const limited = await startApp(cluster.url, model, true);
    apps.push(limited.app);
    const variants = { off, shared: limited };
    const timings = {
      sentiment: { off: [] as number[], shared: [] as number[] },
      feedback: { off: [] as number[], shared: [] as number[] },
    };
    const answers: Array<{ interactionId: string; feedbackToken: string; sessionId: string }> = [];
    log(`${requests} sentiment requests to each, interleaved`);
    for (let i = 0; i < 20; i++) await post(off.base, "/api/sentiment", { text: `预热${i}` });
    for (let i = 0; i < requests; i++) {
      for (const name of (i % 2 === 0 ? ["off", "shared"] : ["shared", "off"]) as Array<"off" | "shared">) {
        const sessionId = `bench-${i % 50}`;
        const answer = await post(variants[name].base, "/api/sentiment", {
          text: `房间第${i}次很干净`,
          sessionId,
        });
        timings.sentiment[name].push(answer.ms);
        if (answers.length < requests) {
          const { interactionId, feedbackToken } = answer.json as {
            interactionId: string;
            feedbackToken: string;
          };
          answers.push({ interactionId, feedbackToken, sessionId });
        }
      }
    }
    log(`${requests} feedback requests to each, interleaved`);
    for (let i = 0; i < requests; i++) {
      for (const name of (i % 2 === 0 ? ["off", "shared"] : ["shared", "off"]) as Array<"off" | "shared">) {
        const answer = answers[i % answers.length]!;
        const ms = 1000 + i * 2 + (name === "off" ? 0 : 1);
        timings.feedback[name].push(
          (await post(variants[name].base, "/api/feedback", { ...answer, type: "dwell", ms })).ms,
        );
      }
    }
    for (const route of ["sentiment", "feedback"] as const) {
      const without = summarize(timings[route].off);
      const withShared = summarize(timings[route].shared);
      figures[route] = {
        offP50Ms: roundTo(without.p50, 2),
        offP95Ms: roundTo(without.p95, 2),
        sharedP50Ms: roundTo(withShared.p50, 2),
        sharedP95Ms: roundTo(withShared.p95, 2),
      };
      rows.push({
        section,
        metric: `POST /api/${route} over HTTP, limits shared on PostgreSQL`,
        value: `${roundTo(withShared.p50, 2)} ms`,
        note: `limits off ${roundTo(without.p50, 2)} ms (p95 ${roundTo(withShared.p95, 2)} vs ${roundTo(without.p95, 2)} ms); ${route === "feedback" ? "2 counters" : "1 counter"}`,
      });
    }
  } finally {
    for (const app of apps) await app.close();
    await cluster.stop();
  }
  return { figures, rows, contention: stop() };
}

runAsScript(import.meta.url, measureRateLimits);
