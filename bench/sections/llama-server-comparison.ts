import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createApp } from "../../src/server/create-app.js";
import { loadConfig } from "../../src/config.js";
import type { LlmBackend } from "../../src/engine/llm-backend.js";
import { createOpenAiCompatibleBackend } from "../../src/engine/openai-compatible/openai-compatible-backend.js";
import { classificationPrefix } from "../../src/tasks/classification-prompt.js";
import { qwenShapedVocabulary } from "../../test/support/gguf/qwen-shaped.js";
import { partialUtf8TokenIds } from "../../test/support/llama-server/partial-utf8-tokens.js";
import {
  findLlamaServerBinary,
  startLlamaServer,
} from "../../test/support/llama-server/llama-server-process.js";
import { bundledPromptsDir, bundledTasks } from "../lib/bundled-prompts.js";
import { startCpuContention } from "../lib/cpu-contention.js";
import { runClientLoops } from "../lib/client-loops.js";
import { roundTo, summarize } from "../lib/percentiles.js";
import type { TableRow } from "../lib/render-table.js";
import { progress, runAsScript, type SectionOptions, type SectionResult } from "../lib/section-protocol.js";
import { loadReviewTexts, pickTexts } from "../lib/sentiment-texts.js";
import {
  llamaServerClient,
  promptloopClient,
  type ServingClient,
  type TimedReply,
} from "../lib/serving-clients.js";

const log = (message: string) => progress("llama-server", message);

/**
 * llama-server as the first measurement ran it: flash attention, q8_0 KV cache, 4 slots of 2048 tokens
 * (the service's sequences and context), the prompt cache (on by default), weights read into memory like the
 * embedded engine.
 */
const llamaServerFlags = ["-fa", "on", "-ctk", "q8_0", "-ctv", "q8_0", "--load-mode", "none"];

interface Samples {
  sentimentMs: number[];
  burstMs: number[];
  burstSeconds: number;
  burstRequests: number;
  replies: TimedReply[];
}

async function startService(options: SectionOptions, backend?: LlmBackend) {
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
      RATE_LIMIT_PER_MINUTE: 0,
      MAX_REPLY_TOKENS: 64,
    },
  );
  const app = await createApp(config, { logger: false, ...(backend && { backend }) });
  const address = await app.server.listen({ host: "127.0.0.1", port: 0 });
  return {
    address,
    close: async () => {
      await app.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** One round of every measurement on one system. */
async function measureRound(
  client: ServingClient,
  texts: string[],
  samples: Samples,
  quick: boolean,
  round: number,
) {
  const one = await runClientLoops({
    clients: 1,
    requestsPerClient: texts.length,
    send: (n) => client.classify(texts[n]!),
  });
  samples.sentimentMs.push(...one.calls.map((call) => call.ms));
  const burst = await runClientLoops({
    clients: 8,
    requestsPerClient: quick ? 2 : 4,
    send: (n) => client.classify(texts[n % texts.length]!),
  });
  samples.burstMs.push(...burst.calls.map((call) => call.ms));
  samples.burstSeconds += burst.seconds;
  samples.burstRequests += burst.calls.length;
  for (let i = 0; i < (quick ? 1 : 2); i++) {
    const question = `请介绍一下你自己，并推荐一个周末活动（${round}-${i}）。`;
    samples.replies.push(await client.reply([{ role: "user", content: question }], 64, 100 + round * 10 + i));
  }
}

function summarise(samples: Samples) {
  const sentiment = summarize(samples.sentimentMs);
  const burst = summarize(samples.burstMs);
  return {
    sentimentP50Ms: roundTo(sentiment.p50),
    sentimentP95Ms: roundTo(sentiment.p95),
    clients8PerSecond: roundTo(samples.burstRequests / samples.burstSeconds, 2),
    clients8P95Ms: roundTo(burst.p95),
    ttftP50Ms: roundTo(summarize(samples.replies.map((r) => r.ttftMs)).p50),
    decodeTokPerS: roundTo(
      summarize(samples.replies.map((r) => r.decodeTokPerS).filter(Number.isFinite)).p50,
    ),
    requests: samples.sentimentMs.length + samples.burstMs.length,
    replies: samples.replies.length,
  };
}

/**
 * The embedded engine against llama-server on the same Q8_0 model, same machine, same run, each over its own
 * HTTP API: promptloop with its embedded engine, llama-server alone, and promptloop with that llama-server as its
 * backend (LLM_BASE_URL). Rounds are interleaved (the order rotates each round) so that noise from other
 * processes falls on all three alike.
 */
export async function measureLlamaServerComparison(options: SectionOptions): Promise<SectionResult> {
  const found = await findLlamaServerBinary();
  if (!("binary" in found)) return { figures: {}, rows: [], skipped: found.missing };
  const stop = startCpuContention();
  const loadAtStart = os.loadavg()[0]!;
  const { sentiment, chat } = await bundledTasks();
  const prefix = classificationPrefix(sentiment);
  const sampling = {
    temperature: chat.params?.temperature,
    top_p: chat.params?.topP,
    top_k: chat.params?.topK,
    repeat_penalty: chat.params?.repeatPenalty,
  };

  log(
    `starting llama-server on ${options.models.q8_0}: -np 4 -c 8192 -t ${options.threads} ${llamaServerFlags.join(" ")}`,
  );
  const server = await startLlamaServer({
    binary: found.binary,
    model: options.models.q8_0,
    slots: 4,
    contextSize: 4 * 2048,
    threads: options.threads,
    extraArgs: llamaServerFlags,
    // Random weights would string partial-UTF-8 tokens into text llama-server's output parser rejects (500).
    excludeTokens: partialUtf8TokenIds(qwenShapedVocabulary()),
    readyTimeoutMs: 180_000,
  });
  const services: { close(): Promise<void> }[] = [];
  try {
    log("starting promptloop with the embedded engine, and promptloop with llama-server as its backend");
    const embedded = await startService(options);
    services.push(embedded);
    // A generous time limit: on a busy machine a burst of 8 queues behind 4 slots, and a timeout would lose samples.
    const remoteBackend = await createOpenAiCompatibleBackend({
      baseUrl: server.baseUrl,
      model: "bench",
      timeoutMs: 120_000,
      streamIdleTimeoutMs: 120_000,
    });
    const viaServer = await startService(options, remoteBackend);
    services.push(viaServer);
    const direct = await llamaServerClient(server.baseUrl, prefix, sentiment.labels ?? [], sampling);

    const { texts: all } = await loadReviewTexts(options.dataset);
    const texts = pickTexts(all, (text) => remoteBackend.countTokens(text), {
      count: options.quick ? 6 : 12,
      minTokens: 20,
      maxTokens: 50,
    }).map((t) => t.text);
    await direct.render(texts);

    const clients: ServingClient[] = [
      promptloopClient("promptloop (embedded engine)", embedded.address),
      direct,
      promptloopClient("promptloop → llama-server", viaServer.address),
    ];
    const samples = new Map<string, Samples>(
      clients.map((c) => [
        c.name,
        { sentimentMs: [], burstMs: [], burstSeconds: 0, burstRequests: 0, replies: [] },
      ]),
    );
    log("warming up each system (untimed)");
    for (const client of clients) {
      await client.classify(texts[0]!);
      await client.reply([{ role: "user", content: "你好" }], 8, 1);
    }
    const rounds = options.quick ? 1 : 3;
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < clients.length; k++) {
        const client = clients[(round + k) % clients.length]!;
        log(`round ${round + 1}/${rounds}: ${client.name}`);
        await measureRound(client, texts, samples.get(client.name)!, options.quick, round);
      }
    }

    const results = Object.fromEntries(clients.map((c) => [c.name, summarise(samples.get(c.name)!)]));
    const alone = results["llama-server alone"]!;
    const via = results["promptloop → llama-server"]!;
    const overhead = {
      sentimentP50: roundTo(via.sentimentP50Ms / alone.sentimentP50Ms - 1, 3),
      clients8Throughput: roundTo(alone.clients8PerSecond / via.clients8PerSecond - 1, 3),
      ttftP50: roundTo(via.ttftP50Ms / alone.ttftP50Ms - 1, 3),
      decode: roundTo(alone.decodeTokPerS / via.decodeTokPerS - 1, 3),
    };
    const figures = {
      llamaServer: {
        flags: `-np 4 -c 8192 -t ${options.threads} ${llamaServerFlags.join(" ")}`,
        texts: texts.length,
        rounds,
      },
      results,
      promptloopOverLlamaServer: overhead,
      classifyMode: remoteBackend.status().classifyMode,
      loadAverage: { start: roundTo(loadAtStart, 2), end: roundTo(os.loadavg()[0]!, 2) },
    };
    const rows: TableRow[] = clients.map((client) => {
      const r = results[client.name]!;
      return {
        section: "llama-server",
        metric: client.name,
        value:
          `sentiment ${r.sentimentP50Ms}/${r.sentimentP95Ms} ms · 8 clients ${r.clients8PerSecond}/s p95 ${r.clients8P95Ms} ms · ` +
          `TTFT ${r.ttftP50Ms} ms · decode ${r.decodeTokPerS} tok/s`,
        note: `${r.requests} classifications, ${r.replies} replies`,
      };
    });
    const percent = (x: number) => `${roundTo(x * 100, 1)}%`;
    rows.push({
      section: "llama-server",
      metric: "promptloop → llama-server overhead over llama-server alone (target ≤ 10%)",
      value: `sentiment p50 ${percent(overhead.sentimentP50)} · 8-client throughput ${percent(overhead.clients8Throughput)} · TTFT ${percent(overhead.ttftP50)} · decode ${percent(overhead.decode)}`,
      note: `label scoring: ${figures.classifyMode}`,
    });
    return { figures, rows, contention: stop() };
  } finally {
    for (const service of services) await service.close();
    await server.stop();
  }
}

runAsScript(import.meta.url, measureLlamaServerComparison);
