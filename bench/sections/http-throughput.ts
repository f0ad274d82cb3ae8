import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createApp } from "../../src/server/create-app.js";
import { loadConfig } from "../../src/config.js";
import { bundledPromptsDir } from "../lib/bundled-prompts.js";
import { startCpuContention } from "../lib/cpu-contention.js";
import { runClientLoops } from "../lib/client-loops.js";
import { roundTo, summarize } from "../lib/percentiles.js";
import type { TableRow } from "../lib/render-table.js";
import { progress, runAsScript, type SectionOptions, type SectionResult } from "../lib/section-protocol.js";
import { loadReviewTexts, pickTexts } from "../lib/sentiment-texts.js";
import { promptloopClient } from "../lib/serving-clients.js";
import { describeThreadShare, msAtThreadsSince, threadShare } from "../lib/thread-share.js";
import type { LocalLlmBackend } from "../../src/engine/local/local-llm-backend.js";

const log = (message: string) => progress("http", message);

/**
 * Classifications per second over real HTTP: the whole service (createApp with the Q8_0 model, SQLite, Fastify)
 * listening on 127.0.0.1, and 1, 4 and 8 clients each sending POST /api/sentiment one after another.
 */
export async function measureHttpThroughput(options: SectionOptions): Promise<SectionResult> {
  const stop = startCpuContention();
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "promptloop-bench-"));
  const config = loadConfig(
    {},
    {
      MODEL_PATH: options.models.q8_0,
      DATA_DIR: dataDir,
      PROMPTS_DIR: bundledPromptsDir,
      THREADS: options.threads,
      LOG_LEVEL: "silent",
      ANALYSIS_CRON: "",
      ROLLOUT_CRON: "off",
      // The clients all come from 127.0.0.1: throughput is measured, not the per-address limit.
      RATE_LIMIT_PER_MINUTE: 0,
    },
  );
  log(`starting the service (${config.sequences} sequences, ${config.threads} threads)`);
  const app = await createApp(config, { logger: false });
  const rows: TableRow[] = [];
  const figures: Record<string, unknown> = { sequences: config.sequences };
  try {
    const address = await app.server.listen({ host: "127.0.0.1", port: 0 });
    const { texts } = await loadReviewTexts(options.dataset);
    const picked = pickTexts(texts, (text) => app.backend.countTokens(text), {
      count: 60,
      minTokens: 30,
      maxTokens: 40,
    });
    // Thread share over the measured requests only, not the start-up and the text picking before them.
    const governorAtStart = { ...(app.backend as Partial<LocalLlmBackend>).threadStats?.msAtThreads };
    const client = promptloopClient("promptloop", address);
    for (const clients of [1, 4, 8]) {
      const perClient = options.quick ? 3 : clients === 1 ? 12 : 8;
      log(`${clients} client(s) × ${perClient} requests`);
      const { calls, seconds } = await runClientLoops({
        clients,
        requestsPerClient: perClient,
        send: (n) => client.classify(picked[n % picked.length]!.text),
      });
      const latencies = calls.map((call) => call.ms);
      const summary = summarize(latencies);
      const perSecond = roundTo(latencies.length / seconds, 2);
      figures[`clients${clients}`] = {
        requests: latencies.length,
        perSecond,
        p50Ms: roundTo(summary.p50),
        p95Ms: roundTo(summary.p95),
      };
      rows.push({
        section: "http",
        metric: `${clients} client${clients > 1 ? "s" : ""}: classifications/s (p50 / p95)`,
        value: `${perSecond}/s (${roundTo(summary.p50, 0)} / ${roundTo(summary.p95, 0)} ms)`,
        note: `${latencies.length} requests`,
      });
    }
    const stats = (app.backend as Partial<LocalLlmBackend>).threadStats;
    const measured = threadShare(msAtThreadsSince(governorAtStart, stats?.msAtThreads));
    figures.threads = measured;
    rows.push({
      section: "http",
      metric: "threads used (adaptive), during the requests",
      value: describeThreadShare(measured),
    });
  } finally {
    await app.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
  return { figures, rows, contention: stop() };
}

runAsScript(import.meta.url, measureHttpThroughput);
