import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { loadConfig, type RawConfig } from "../../src/config.js";
import { createApp } from "../../src/server/create-app.js";
import { bundledPromptsDir } from "../lib/bundled-prompts.js";
import { startCpuContention } from "../lib/cpu-contention.js";
import { runClientLoops } from "../lib/client-loops.js";
import { roundTo, summarize } from "../lib/percentiles.js";
import {
  classifyOutcome,
  outcomeKinds,
  streamChatOutcome,
  summarizeOutcomes,
} from "../lib/request-outcomes.js";
import type { TableRow } from "../lib/render-table.js";
import { progress, runAsScript, type SectionOptions, type SectionResult } from "../lib/section-protocol.js";
import { loadReviewTexts } from "../lib/sentiment-texts.js";

const log = (message: string) => progress("overload", message);
const concurrentChats = 32;

/**
 * 32 concurrent streamed chats against the whole service (Q8_0 0.5B-shaped model, default SEQUENCES and queue),
 * after a warm-up, while one client sends sentiment requests one after another. Run twice in the same process: with the default
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
    // A server that has been serving knows how long a call holds its sequence, and admission refuses from that
    // estimate (before any call is measured it queues as before): warm up with a full set of chats and one
    // classification, the same in both scenarios, before the burst.
    const replyLanes = Math.max(1, config.sequences - 1);
    log(`${name}: warm-up: ${replyLanes} concurrent chats, then one classification`);
    await Promise.all(
      Array.from({ length: replyLanes }, (_, i) => streamChatOutcome(base, `请评价：${review(2000 + i)}`)),
    );
    await classifyOutcome(base, review(3000));
    const estimateBefore = app.admission?.stats().serviceTime;
    log(`${name}: ${concurrentChats} concurrent chats, ${config.sequences} sequences`);
    let burstOver = false;
    const chats = runClientLoops({
      clients: concurrentChats,
      requestsPerClient: 1,
      send: (n) => streamChatOutcome(base, `请评价：${review(n)}`),
    }).finally(() => (burstOver = true));
    // Let the burst take the sequences first, then classify one review after another until it is over.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const classifications = await runClientLoops({
      clients: 1,
      requestsPerClient: 40,
      keepGoing: () => !burstOver,
      send: (n) => classifyOutcome(base, review(n + 1000)),
    });
    const chatOutcomes = (await chats).calls.map((call) => call.value);
    const sentimentOutcomes = classifications.calls.map((call) => call.value);
    const chat = summarizeOutcomes(chatOutcomes);
    const sentiment = summarizeOutcomes(sentimentOutcomes);
    // Targets: classifications that were served (a refusal or a deadline is not "kept"; they are counted apart),
    // and every refusal, chat or classification, for how fast the queue says no.
    const refusal = summarize(
      [...chatOutcomes, ...sentimentOutcomes].filter((o) => o.kind === "refused").map((o) => o.endMs),
    );
    const gate = app.admission?.stats();
    const figures = {
      settings,
      // Hold-time estimates after the warm-up and after the burst, and why requests were refused.
      serviceTimeMs: { beforeBurst: estimateBefore ?? null, afterBurst: gate?.serviceTime ?? null },
      refusedBy: gate?.refused ?? null,
      sequences: config.sequences,
      maxReplyTokens: config.maxReplyTokens,
      chats: { sent: chatOutcomes.length, ...chat },
      sentimentDuringBurst: {
        sent: sentimentOutcomes.length,
        ...sentiment,
        notServed: sentimentOutcomes.length - sentiment.served.count,
      },
      refusalMs:
        refusal.count > 0
          ? {
              count: refusal.count,
              p50: roundTo(refusal.p50),
              p95: roundTo(refusal.p95),
              max: roundTo(refusal.max),
            }
          : null,
    };
    const ms = (value: number | undefined) => (value === undefined ? "—" : `${roundTo(value, 0)}`);
    const counts = (s: typeof chat) => outcomeKinds.map((kind) => s[kind].count).join(" / ");
    const rows: TableRow[] = [
      {
        section: "overload",
        metric: `${name}: chats served / refused 503 / deadline / failed`,
        value: `${counts(chat)} of ${chatOutcomes.length}`,
        note:
          `refusals (all requests) p95 ${ms(figures.refusalMs?.p95)} ms, max ${ms(figures.refusalMs?.max)} ms` +
          (gate ? ` (${refusedBy(gate.refused)})` : "") +
          "; " +
          `deadline-ended after p50 ${ms(chat.deadline.endMs?.p50)} ms` +
          (chat.failed.count > 0
            ? `; failed: ${[...chat.failed.codes, ...chat.failed.statuses!].join(", ")}`
            : ""),
      },
      {
        section: "overload",
        metric: `${name}: served chats' TTFT p50 / p95 (queue wait included)`,
        value: `${ms(chat.served.firstTokenMs?.p50)} / ${ms(chat.served.firstTokenMs?.p95)} ms`,
        note:
          `whole reply p95 ${ms(chat.served.endMs?.p95)} ms (${config.maxReplyTokens} tokens max)` +
          (estimateBefore?.generate.ms != null
            ? `; a reply held its sequence ${ms(estimateBefore.generate.ms)} ms by the warm-up's estimate`
            : ""),
      },
      {
        section: "overload",
        metric: `${name}: served classifications during the burst p50 / p95`,
        value: `${ms(sentiment.served.endMs?.p50)} / ${ms(sentiment.served.endMs?.p95)} ms`,
        note: `${sentimentOutcomes.length} sent: served / refused / deadline / failed ${counts(sentiment)}`,
      },
    ];
    return { figures, rows };
  } finally {
    await app.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

/** "8 queue full, 21 expected wait, 0 waited out" (older gates count no expected-wait refusals). */
function refusedBy(refused: { queueFull: number; expectedWait?: number; waitTimeout: number }): string {
  return [
    `${refused.queueFull} queue full`,
    ...(refused.expectedWait === undefined ? [] : [`${refused.expectedWait} expected wait`]),
    `${refused.waitTimeout} waited out`,
  ].join(", ");
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
