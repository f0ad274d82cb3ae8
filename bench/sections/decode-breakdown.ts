import { getLlama, LlamaLogLevel, type LlamaContext, type LlamaModel, type Token } from "node-llama-cpp";
import { createNativeSampler, decodeTokens } from "../../src/engine/local/llama-internals.js";
import { replySamplerConfig } from "../../src/engine/local/reply-sampling.js";
import { bundledTasks } from "../lib/bundled-prompts.js";
import { startCpuContention } from "../lib/cpu-contention.js";
import { quantile, roundTo } from "../lib/percentiles.js";
import type { TableRow } from "../lib/render-table.js";
import { progress, runAsScript, type SectionOptions, type SectionResult } from "../lib/section-protocol.js";
import { sampleReviews } from "../lib/sample-reviews.js";

const log = (message: string) => progress("breakdown", message);

/** node-llama-cpp's native context, for the raw decode step llama.cpp itself runs (internal API, 3.21.1). */
interface RawContext {
  initBatch(size: number): void;
  addToBatch(
    sequenceId: number,
    firstPosition: number,
    tokens: Uint32Array,
    logitIndexes: Uint32Array,
  ): Uint32Array;
  decodeBatch(): Promise<void>;
  sampleToken(batchLogitIndex: number, sampler: unknown): Promise<number>;
}
const rawContextOf = (context: LlamaContext) => (context as unknown as { _ctx: RawContext })._ctx;
const sequenceIdOf = (sequence: unknown) => (sequence as { _sequenceId: number })._sequenceId;
const median = (values: number[]) => quantile(values, 0.5);

/** A long, varied token stream to feed as input: the content does not change the cost of a step. */
function fillerTokens(model: LlamaModel, count: number): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; tokens.length < count; i++)
    tokens.push(...model.tokenize(sampleReviews[i % sampleReviews.length]!.text, false));
  return tokens.slice(0, count);
}

/**
 * Where a generated token's milliseconds go, all in one process on one context shaped like the service's: the raw
 * llama.cpp decode step (what llama-bench's tg measures), the native sampling of the chat task's settings, the
 * service's generation loop, and node-llama-cpp's own generation loop for comparison. Also prefill speed, and the
 * decode step with an f16 KV cache (without flash attention) next to the service's q8_0 one.
 */
export async function measureDecodeBreakdown(options: SectionOptions): Promise<SectionResult> {
  const stop = startCpuContention();
  const steps = options.quick ? 24 : 64;
  const { chat } = await bundledTasks();
  const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath: options.models.q8_0 });
  const figures: Record<string, unknown> = {};
  const rows: TableRow[] = [];
  const input = fillerTokens(model, 480);

  for (const kv of ["q8_0", "f16"] as const) {
    log(`context with ${kv} KV cache`);
    const context = await model.createContext({
      sequences: 4,
      contextSize: 2048,
      threads: options.threads,
      batchSize: 512,
      flashAttention: kv === "q8_0",
      experimentalKvCacheKeyType: kv === "q8_0" ? "Q8_0" : "F16",
      experimentalKvCacheValueType: kv === "q8_0" ? "Q8_0" : "F16",
    });
    const sequence = context.getSequence();
    const raw = rawContextOf(context);

    // Prefill: evaluating a prompt of N tokens from an empty sequence.
    const prefill: Record<string, number> = {};
    for (const n of [80, 400]) {
      const times: number[] = [];
      for (let r = 0; r < (options.quick ? 2 : 3); r++) {
        await sequence.clearHistory();
        const start = performance.now();
        await sequence.evaluateWithoutGeneratingNewTokens(input.slice(0, n));
        times.push(performance.now() - start);
      }
      prefill[`tokens${n}`] = roundTo(n / (median(times) / 1000), 1);
    }

    // The raw step: one token in, logits out, nothing else (no sampling, no JS loop beyond the call).
    await sequence.clearHistory();
    await sequence.evaluateWithoutGeneratingNewTokens(input.slice(0, 60));
    let position = sequence.nextTokenIndex;
    const id = sequenceIdOf(sequence);
    const rawSteps: number[] = [];
    const samplingMs: number[] = [];
    const sampler = createNativeSampler(
      model,
      replySamplerConfig(chat.params ?? {}, input.slice(0, 60), () => 1),
    );
    for (let i = 0; i < steps; i++) {
      const start = performance.now();
      raw.initBatch(1);
      raw.addToBatch(id, position++, Uint32Array.from([input[60 + i]!]), Uint32Array.from([0]));
      await raw.decodeBatch();
      const decoded = performance.now();
      await raw.sampleToken(0, sampler);
      samplingMs.push(performance.now() - decoded);
      rawSteps.push(decoded - start);
    }
    const rawStepMs = median(rawSteps);
    const entry: Record<string, number | Record<string, number>> = {
      prefillTokPerS: prefill,
      rawStepMs: roundTo(rawStepMs, 2),
      rawTokPerS: roundTo(1000 / rawStepMs, 1),
      samplingMs: roundTo(median(samplingMs), 2),
    };

    if (kv === "q8_0") {
      // The service's loop: the same decode through the context's batch queue, sampling with its native sampler.
      await sequence.clearHistory();
      await sequence.evaluateWithoutGeneratingNewTokens(input.slice(0, 59));
      const serviceSampler = createNativeSampler(
        model,
        replySamplerConfig(chat.params ?? {}, input.slice(0, 59), () => 1),
      );
      const serviceSteps: number[] = [];
      let next = input[59]!;
      for (let i = 0; i < steps; i++) {
        const start = performance.now();
        next = (await decodeTokens(sequence, [next], [0], (row) => row.sample(serviceSampler))).get(0)!;
        serviceSteps.push(performance.now() - start);
      }
      serviceSampler.dispose();
      // node-llama-cpp's own loop with the same settings, as the engine used it before.
      await sequence.clearHistory();
      await sequence.evaluateWithoutGeneratingNewTokens(input.slice(0, 59));
      const libraryGaps: number[] = [];
      let last = performance.now();
      let n = 0;
      for await (const _token of sequence.evaluate([input[59]!], {
        temperature: chat.params?.temperature ?? 0.7,
        topK: chat.params?.topK ?? 40,
        topP: chat.params?.topP ?? 0.95,
        seed: 1,
        repeatPenalty: {
          penalty: chat.params?.repeatPenalty ?? 1.1,
          punishTokens: () => sequence.contextTokens.slice(-64),
        },
      })) {
        const now = performance.now();
        libraryGaps.push(now - last);
        last = now;
        if (++n >= steps) break;
      }
      const serviceMs = median(serviceSteps);
      const libraryMs = median(libraryGaps.slice(1));
      Object.assign(entry, {
        serviceStepMs: roundTo(serviceMs, 2),
        serviceTokPerS: roundTo(1000 / serviceMs, 1),
        libraryLoopStepMs: roundTo(libraryMs, 2),
        libraryLoopTokPerS: roundTo(1000 / libraryMs, 1),
        // What the service adds to llama.cpp's step: sampling (which llama.cpp's own server also does) and the rest.
        serviceOverheadMs: roundTo(serviceMs - rawStepMs, 2),
        dispatchAndJsMs: roundTo(serviceMs - rawStepMs - median(samplingMs), 2),
      });
    }
    sampler.dispose();
    figures[kv] = entry;
    await context.dispose();
  }

  const q8 = figures.q8_0 as Record<string, number & Record<string, number>>;
  const f16 = figures.f16 as Record<string, number & Record<string, number>>;
  rows.push(
    {
      section: "prefill",
      metric: "80-token prompt",
      value: `${q8.prefillTokPerS!.tokens80} tok/s`,
      note: `f16 KV: ${f16.prefillTokPerS!.tokens80}`,
    },
    {
      section: "prefill",
      metric: "400-token prompt",
      value: `${q8.prefillTokPerS!.tokens400} tok/s`,
      note: `f16 KV: ${f16.prefillTokPerS!.tokens400}`,
    },
    {
      section: "decode",
      metric: "raw llama.cpp step (no sampling)",
      value: `${q8.rawStepMs} ms = ${q8.rawTokPerS} tok/s`,
      note: `f16 KV: ${f16.rawStepMs} ms`,
    },
    { section: "decode", metric: "+ native sampling (chat.v1 settings)", value: `${q8.samplingMs} ms` },
    {
      section: "decode",
      metric: "service loop step",
      value: `${q8.serviceStepMs} ms = ${q8.serviceTokPerS} tok/s`,
      note: `dispatch + JS ${q8.dispatchAndJsMs} ms`,
    },
    {
      section: "decode",
      metric: "node-llama-cpp evaluate() loop step",
      value: `${q8.libraryLoopStepMs} ms = ${q8.libraryLoopTokPerS} tok/s`,
    },
  );
  await model.dispose();
  await llama.dispose();
  return { figures, rows, contention: stop() };
}

runAsScript(import.meta.url, measureDecodeBreakdown);
