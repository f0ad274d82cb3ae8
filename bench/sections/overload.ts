import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { loadConfig, type RawConfig } from "../../src/config.js";
import { createApp } from "../../src/server/create-app.js";
import { bundledPromptsDir } from "../lib/bundled-prompts.js";
import { startCpuContention } from "../lib/cpu-contention.js";
import { roundTo, summarize } from "../lib/percentiles.js";
import type { TableRow } from "../lib/render-table.js";
import { progress, runAsScript, type SectionOptions, type SectionResult } from "../lib/section-protocol.js";
import { loadReviewTexts } from "../lib/sentiment-texts.js";

const log = (message: string) => progress("overload", message);
const concurrentChats = 32;

interface ChatOutcome {
  status: number;
  /** Time to the first token (served) or to the refusal (refused). */
  firstMs: number;
  totalMs: number;
  code?: string;
  retryAfter?: string | null;
}

/** One streamed chat: waits for the first `token` event (or the refusal) and reads the stream to its end. */
async function streamChat(base: string, content: string): Promise<ChatOutcome> {
  const sent = performance.now();
  let response: Response;
  try {
    response = await fetch(`${base}/api/chat`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content }], stream: true }),
    });
  } catch {
    // The connection closed without an answer: counted apart (status 0).
    const ms = performance.now() - sent;
    return { status: 0, firstMs: ms, totalMs: ms };
  }
  if (response.status !== 200) {
    const firstMs = performance.now() - sent;
    const body = (await response.json()) as { error?: { code?: string } };
    return {
      status: response.status,
      firstMs,
      totalMs: firstMs,
      ...(body.error?.code && { code: body.error.code }),
      retryAfter: response.headers.get("retry-after"),
    };
  }
  const reader = response.body!.getReader();
  let firstMs = Number.NaN;
  for (;;) {
    const { done } = await reader.read();
    if (Number.isNaN(firstMs)) firstMs = performance.now() - sent;
    if (done) break;
  }
  return { status: 200, firstMs, totalMs: performance.now() - sent };
}

/**
 * 32 concurrent streamed chats against the whole service (Q8_0 0.5B-shaped model, default SEQUENCES and queue),
 * while one client sends sentiment requests one after another. Run twice in the same process: with the default
 * bounds, and with bounds so large that nothing is refused (the behaviour before issue 17: every request waits).
 */
async function runScenario(
  options: SectionOptions,
  name: string,
  settings: Partial<RawConfig>,
): Promise<{ figures: Record<string, unknown>; rows: TableRow[] }> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "promptloop-bench-overload-"));
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
      RATE_LIMIT_PER_MINUTE: 0,
      MAX_REPLY_TOKENS: options.quick ? 32 : 128,
      ...settings,
    },
  );
  const app = await createApp(config, { logger: false });
  try {
    const base = await app.server.listen({ host: "127.0.0.1", port: 0 });
    const { texts } = await loadReviewTexts(options.dataset);
    const review = (i: number) => texts[i % texts.length]!.text.slice(0, 60);
    log(`${name}: ${concurrentChats} concurrent chats, ${config.sequences} sequences`);
    const chats = Array.from({ length: concurrentChats }, (_, i) => streamChat(base, `请评价：${review(i)}`));
    let burstOver = false;
    const all = Promise.all(chats).finally(() => (burstOver = true));
    const sentimentMs: number[] = [];
    const sentimentStatus: number[] = [];
    // Let the burst take the sequences first, then classify one review after another until it is over.
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (let i = 0; !burstOver && sentimentMs.length < 40; i++) {
      const sent = performance.now();
      const response = await fetch(`${base}/api/sentiment`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ text: review(i + 1000) }),
      });
      await response.arrayBuffer();
      sentimentMs.push(performance.now() - sent);
      sentimentStatus.push(response.status);
    }
    const outcomes = await all;
    const served = outcomes.filter((o) => o.status === 200);
    const refused = outcomes.filter((o) => o.status === 503);
    const ttft = summarize(served.map((o) => o.firstMs));
    const total = summarize(served.map((o) => o.totalMs));
    const refusal = summarize(refused.map((o) => o.firstMs));
    const sentiment = summarize(sentimentMs);
    const figures = {
      settings,
      sequences: config.sequences,
      maxReplyTokens: config.maxReplyTokens,
      chats: {
        sent: outcomes.length,
        served: served.length,
        refused: refused.length,
        refusedShare: roundTo(refused.length / outcomes.length, 3),
        otherStatuses: outcomes.filter((o) => o.status !== 200 && o.status !== 503).map((o) => o.status),
        refusedCodes: [...new Set(refused.map((o) => o.code))],
        retryAfterSeconds: [...new Set(refused.map((o) => o.retryAfter))],
        ttftMs: { p50: roundTo(ttft.p50), p95: roundTo(ttft.p95), max: roundTo(ttft.max) },
        totalMs: { p50: roundTo(total.p50), p95: roundTo(total.p95) },
        refusalMs: { p50: roundTo(refusal.p50), p95: roundTo(refusal.p95), max: roundTo(refusal.max) },
      },
      sentimentDuringBurst: {
        requests: sentimentMs.length,
        notOk: sentimentStatus.filter((s) => s !== 200).length,
        p50Ms: roundTo(sentiment.p50),
        p95Ms: roundTo(sentiment.p95),
        maxMs: roundTo(sentiment.max),
      },
    };
    const rows: TableRow[] = [
      {
        section: "overload",
        metric: `${name}: chats served / refused (503)`,
        value: `${served.length} / ${refused.length} of ${outcomes.length}`,
        note:
          refused.length > 0
            ? `refused in p95 ${roundTo(refusal.p95, 0)} ms, max ${roundTo(refusal.max, 0)} ms`
            : "none refused",
      },
      {
        section: "overload",
        metric: `${name}: served chats' TTFT p50 / p95 (queue wait included)`,
        value: `${roundTo(ttft.p50, 0)} / ${roundTo(ttft.p95, 0)} ms`,
        note: `whole reply p95 ${roundTo(total.p95, 0)} ms (${config.maxReplyTokens} tokens max)`,
      },
      {
        section: "overload",
        metric: `${name}: sentiment during the burst p50 / p95`,
        value: `${roundTo(sentiment.p50, 0)} / ${roundTo(sentiment.p95, 0)} ms`,
        note: `${sentimentMs.length} requests, ${figures.sentimentDuringBurst.notOk} not 200`,
      },
    ];
    return { figures, rows };
  } finally {
    await app.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

export async function measureOverload(options: SectionOptions): Promise<SectionResult> {
  const stop = startCpuContention();
  const bounded = await runScenario(options, "bounded (defaults)", {});
  const unbounded = await runScenario(options, "unbounded (reference)", {
    MAX_QUEUED_REQUESTS: 10_000,
    QUEUE_TIMEOUT_MS: 600_000,
    MODEL_DEADLINE_MS: 600_000,
  });
  return {
    figures: { concurrentChats, bounded: bounded.figures, unbounded: unbounded.figures },
    rows: [...bounded.rows, ...unbounded.rows],
    contention: stop(),
  };
}

runAsScript(import.meta.url, measureOverload);
