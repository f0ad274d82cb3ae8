import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import { promisify } from "node:util";
import {
  getLlama,
  LlamaLogLevel,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel,
  type Token,
} from "node-llama-cpp";
import { defaultDecodeThreads, threadsForBatch } from "../../src/engine/local/batch-threads.js";
import {
  createNativeSampler,
  decodeTokens,
  routeBatchThreads,
} from "../../src/engine/local/llama-internals.js";
import { replySamplerConfig } from "../../src/engine/local/reply-sampling.js";
import { bundledTasks } from "../lib/bundled-prompts.js";
import { startCpuContention } from "../lib/cpu-contention.js";
import { quantile, roundTo } from "../lib/percentiles.js";
import type { TableRow } from "../lib/render-table.js";
import { sampleReviews } from "../lib/sample-reviews.js";
import { locateLlamaCppBuild } from "../../scripts/llama-cpp/llama-cpp-build.js";
import { progress, runAsScript, type SectionOptions, type SectionResult } from "../lib/section-protocol.js";

const log = (message: string) => progress("breakdown", message);
const run = promisify(execFile);

/** A llama-bench binary from LLAMA_BENCH_BIN or the llama-bench section's build, if there is one. */
async function findLlamaBench(): Promise<string | undefined> {
  const candidate = process.env.LLAMA_BENCH_BIN ?? (await locateLlamaCppBuild()).binaries["llama-bench"];
  return (await fs.stat(candidate).catch(() => undefined)) ? candidate : undefined;
}

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
  setThreads(threads: number): void;
  removeTokenCellsFromSequence(sequenceId: number, start: number, end: number): boolean;
}
const rawContextOf = (context: LlamaContext) => (context as unknown as { _ctx: RawContext })._ctx;

/** When the native decode and sampling calls of the last step started and ended. */
interface StepMarks {
  decodeStart: number;
  decodeEnd: number;
  sampleStart: number;
  sampleEnd: number;
}

/**
 * Wraps the context's native handle so that every decode and sampling call is timed: the service's and the
 * library's loops then split each step into native decode, native sampling, and JavaScript in between, measured
 * on the same steps (so the split does not depend on the machine's load changing between measurements).
 */
function instrument(context: LlamaContext): StepMarks {
  const holder = context as unknown as { _ctx: RawContext };
  const native = holder._ctx;
  const marks: StepMarks = { decodeStart: 0, decodeEnd: 0, sampleStart: 0, sampleEnd: 0 };
  const timed: Partial<Record<keyof RawContext, unknown>> = {
    decodeBatch: async () => {
      marks.decodeStart = performance.now();
      await native.decodeBatch();
      marks.decodeEnd = performance.now();
    },
    sampleToken: async (...args: [number, unknown]) => {
      marks.sampleStart = performance.now();
      const token = await native.sampleToken(...args);
      marks.sampleEnd = performance.now();
      return token;
    },
  };
  holder._ctx = new Proxy(native, {
    get: (target, key) => {
      const value: unknown = timed[key as keyof RawContext] ?? Reflect.get(target, key);
      return typeof value === "function" && !(key in timed) ? value.bind(target) : value;
    },
  });
  return marks;
}
const sequenceIdOf = (sequence: LlamaContextSequence) =>
  (sequence as unknown as { _sequenceId: number })._sequenceId;
const median = (values: number[]) => quantile(values, 0.5);

/** A long, varied token stream to feed as input: the content does not change the cost of a step. */
function fillerTokens(model: LlamaModel, count: number): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; tokens.length < count; i++) {
    tokens.push(...model.tokenize(sampleReviews[i % sampleReviews.length]!.text, false));
  }
  return tokens.slice(0, count);
}

type Variant =
  | "raw"
  | "raw1Thread"
  | "rawF16"
  | "service"
  | "serviceDecode"
  | "serviceSample"
  | "serviceJs"
  | "library"
  | "libraryDecode"
  | "libraryJs"
  | "prefill80"
  | "prefill400"
  | "prefill80F16"
  | "llamaBenchTg"
  | "llamaBenchTg1Thread";

/**
 * Where a generated token's milliseconds go, on contexts shaped like the service's (4 × 2048 tokens): the raw
 * llama.cpp decode step (what llama-bench's tg measures), the native sampling of the chat task's settings, the
 * service's generation loop, node-llama-cpp's own generation loop, and prefill. Variants are measured in
 * interleaved rounds, so that load from other processes falls on all of them alike; figures are medians.
 * Also: the step with an f16 KV cache (no flash attention, node-llama-cpp's default) and with one thread.
 */
export async function measureDecodeBreakdown(options: SectionOptions): Promise<SectionResult> {
  const stop = startCpuContention();
  const rounds = options.quick ? 3 : 8;
  const stepsPerRound = 8;
  const { chat } = await bundledTasks();
  const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
  // Read into memory like the service does (see the engine's `mmap` option).
  const model = await llama.loadModel({ modelPath: options.models.q8_0, useMmap: false });
  const input = fillerTokens(model, 480);
  const contextFor = (kv: "q8_0" | "f16") =>
    model.createContext({
      sequences: 4,
      contextSize: 2048,
      threads: options.threads,
      batchSize: 512,
      flashAttention: kv === "q8_0",
      experimentalKvCacheKeyType: kv === "q8_0" ? "Q8_0" : "F16",
      experimentalKvCacheValueType: kv === "q8_0" ? "Q8_0" : "F16",
    });
  const q8Context = await contextFor("q8_0");
  const f16Context = await contextFor("f16");
  const q8 = q8Context.getSequence();
  // The service's thread policy (generation steps on half the threads) applies only while its loop runs; the raw
  // steps and node-llama-cpp's loop run as node-llama-cpp would, on the threads they ask for.
  let servicePolicy = false;
  const decodeThreads = defaultDecodeThreads(options.threads);
  routeBatchThreads(q8Context, (batchTokens, allowed) =>
    servicePolicy ? threadsForBatch(batchTokens, allowed, decodeThreads) : allowed,
  );
  const marks = instrument(q8Context);
  const f16 = f16Context.getSequence();
  const samples: Record<Variant, number[]> = {
    raw: [],
    raw1Thread: [],
    rawF16: [],
    service: [],
    serviceDecode: [],
    serviceSample: [],
    serviceJs: [],
    library: [],
    libraryDecode: [],
    libraryJs: [],
    prefill80: [],
    prefill400: [],
    prefill80F16: [],
    llamaBenchTg: [],
    llamaBenchTg1Thread: [],
  };
  const sampling: number[] = [];
  const samplerConfig = (history: Token[]) => replySamplerConfig(chat.params ?? {}, history, () => 1);

  async function rawSteps(
    sequence: LlamaContextSequence,
    context: LlamaContext,
    into: number[],
    threads: number,
  ) {
    const raw = rawContextOf(context);
    await sequence.clearHistory();
    await sequence.evaluateWithoutGeneratingNewTokens(input.slice(0, 60));
    const sampler = createNativeSampler(model, samplerConfig(input.slice(0, 60)));
    raw.setThreads(threads);
    const first = sequence.nextTokenIndex;
    let position = first;
    for (let i = 0; i < stepsPerRound; i++) {
      const start = performance.now();
      raw.initBatch(1);
      raw.addToBatch(
        sequenceIdOf(sequence),
        position++,
        Uint32Array.from([input[60 + i]!]),
        Uint32Array.from([0]),
      );
      await raw.decodeBatch();
      const decoded = performance.now();
      await raw.sampleToken(0, sampler);
      into.push(decoded - start);
      if (context === q8Context && threads === options.threads) sampling.push(performance.now() - decoded);
    }
    raw.setThreads(options.threads);
    sampler.dispose();
    // The raw calls bypassed the sequence's bookkeeping: drop the cells they added, which it does not know of.
    raw.removeTokenCellsFromSequence(sequenceIdOf(sequence), first, -1);
    await sequence.clearHistory();
  }

  async function serviceSteps() {
    await q8.clearHistory();
    await q8.evaluateWithoutGeneratingNewTokens(input.slice(0, 59));
    const sampler = createNativeSampler(model, samplerConfig(input.slice(0, 59)));
    let next = input[59]!;
    servicePolicy = true;
    for (let i = 0; i < stepsPerRound; i++) {
      const start = performance.now();
      next = (await decodeTokens(q8, [next], [0], (row) => row.sample(sampler))).get(0)!;
      const end = performance.now();
      samples.service.push(end - start);
      samples.serviceDecode.push(marks.decodeEnd - marks.decodeStart);
      samples.serviceSample.push(marks.sampleEnd - marks.sampleStart);
      samples.serviceJs.push(
        end - start - (marks.decodeEnd - marks.decodeStart) - (marks.sampleEnd - marks.sampleStart),
      );
    }
    servicePolicy = false;
    sampler.dispose();
  }

  async function libraryLoopSteps() {
    await q8.clearHistory();
    await q8.evaluateWithoutGeneratingNewTokens(input.slice(0, 59));
    let last = performance.now();
    let n = 0;
    // node-llama-cpp's own loop with the same settings, the way the engine drove it before this change.
    for await (const _token of q8.evaluate([input[59]!], {
      temperature: chat.params?.temperature ?? 0.7,
      topK: chat.params?.topK ?? 40,
      topP: chat.params?.topP ?? 0.95,
      seed: 1,
      repeatPenalty: {
        penalty: chat.params?.repeatPenalty ?? 1.1,
        punishTokens: () => q8.contextTokens.slice(-64),
      },
    })) {
      const now = performance.now();
      // The first step includes the prompt's last token; the rest are pure decode steps.
      if (n > 0) {
        samples.library.push(now - last);
        samples.libraryDecode.push(marks.decodeEnd - marks.decodeStart);
        samples.libraryJs.push(
          now - last - (marks.decodeEnd - marks.decodeStart) - (marks.sampleEnd - marks.sampleStart),
        );
      }
      last = now;
      if (++n > stepsPerRound) break;
    }
  }

  async function prefill(sequence: LlamaContextSequence, tokens: number, into: number[]) {
    await sequence.clearHistory();
    const start = performance.now();
    await sequence.evaluateWithoutGeneratingNewTokens(input.slice(0, tokens));
    into.push(performance.now() - start);
  }

  // llama.cpp's own tg, when a llama-bench binary exists: run between the same rounds, it meets the same load.
  const llamaBench = await findLlamaBench();
  async function llamaBenchStepMs(threads: number, into: number[]) {
    if (!llamaBench) return;
    const args = [
      "-m",
      options.models.q8_0,
      "-t",
      String(threads),
      "-mmp",
      "0",
      "-p",
      "0",
      "-n",
      "32",
      "-r",
      "1",
    ];
    const { stdout } = await run(llamaBench, [...args, "-o", "json"]);
    const [result] = JSON.parse(stdout) as Array<{ avg_ts: number }>;
    if (result) into.push(1000 / result.avg_ts);
  }

  for (let round = 0; round < rounds; round++) {
    log(`round ${round + 1} of ${rounds}`);
    await llamaBenchStepMs(options.threads, samples.llamaBenchTg);
    if (options.threads > 1) await llamaBenchStepMs(1, samples.llamaBenchTg1Thread);
    await rawSteps(q8, q8Context, samples.raw, options.threads);
    await serviceSteps();
    await libraryLoopSteps();
    await rawSteps(f16, f16Context, samples.rawF16, options.threads);
    if (options.threads > 1) await rawSteps(q8, q8Context, samples.raw1Thread, 1);
    await prefill(q8, 80, samples.prefill80);
    await prefill(f16, 80, samples.prefill80F16);
    if (round % 2 === 0) await prefill(q8, 400, samples.prefill400);
  }

  const ms = (variant: Variant) => roundTo(median(samples[variant]), 2);
  const perSecond = (variant: Variant, tokens = 1) => roundTo((tokens * 1000) / median(samples[variant]), 1);
  const samplingMs = roundTo(median(sampling), 2);
  const mean = (variant: Variant) =>
    roundTo(samples[variant].reduce((sum, value) => sum + value, 0) / samples[variant].length, 2);
  const figures = {
    rounds,
    stepsPerRound,
    prefillTokPerS: { tokens80: perSecond("prefill80", 80), tokens400: perSecond("prefill400", 400) },
    rawStepMs: ms("raw"),
    rawTokPerS: perSecond("raw"),
    samplingMs,
    serviceStepMs: ms("service"),
    serviceTokPerS: perSecond("service"),
    libraryLoopStepMs: ms("library"),
    libraryLoopTokPerS: perSecond("library"),
    // What the service's loop adds to llama.cpp's step, beyond the sampling llama.cpp's own server also does.
    serviceOverheadMs: roundTo(median(samples.service) - median(samples.raw), 2),
    // The same steps split by the timed native calls: robust to load that changes between variants.
    serviceSplitMs: {
      decode: ms("serviceDecode"),
      sampling: ms("serviceSample"),
      javascript: ms("serviceJs"),
    },
    // Medians hide slow steps; the mean is what a reply's tok/s pays. Slow steps inside the native decode call are
    // the machine's (or llama.cpp's), slow steps outside it would be the loop's.
    serviceTailMs: {
      stepMean: mean("service"),
      stepP90: roundTo(quantile(samples.service, 0.9), 2),
      decodeMean: mean("serviceDecode"),
      decodeP90: roundTo(quantile(samples.serviceDecode, 0.9), 2),
      outsideDecodeMean: roundTo(mean("service") - mean("serviceDecode"), 2),
    },
    librarySplitMs: { decode: ms("libraryDecode"), javascript: ms("libraryJs") },
    f16Kv: { rawStepMs: ms("rawF16"), prefill80TokPerS: perSecond("prefill80F16", 80) },
    llamaBenchTgTokPerS: llamaBench ? perSecond("llamaBenchTg") : undefined,
    llamaBenchTg1ThreadTokPerS:
      llamaBench && options.threads > 1 ? perSecond("llamaBenchTg1Thread") : undefined,
    serviceShareOfLlamaBench: llamaBench
      ? roundTo(median(samples.llamaBenchTg) / median(samples.service), 2)
      : undefined,
    oneThreadRawStepMs: options.threads > 1 ? ms("raw1Thread") : undefined,
  };
  const rows: TableRow[] = [
    {
      section: "prefill",
      metric: "80-token prompt",
      value: `${figures.prefillTokPerS.tokens80} tok/s`,
      note: `f16 KV, no flash attention: ${figures.f16Kv.prefill80TokPerS}`,
    },
    { section: "prefill", metric: "400-token prompt", value: `${figures.prefillTokPerS.tokens400} tok/s` },
    {
      section: "decode",
      metric: "raw llama.cpp step (no sampling)",
      value: `${figures.rawStepMs} ms = ${figures.rawTokPerS} tok/s`,
      note: `f16 KV: ${figures.f16Kv.rawStepMs} ms; 1 thread: ${figures.oneThreadRawStepMs ?? "—"} ms`,
    },
    { section: "decode", metric: "native sampling, chat.v1 settings", value: `${samplingMs} ms` },
    {
      section: "decode",
      metric: `service loop step (steps on ${decodeThreads} thread${decodeThreads > 1 ? "s" : ""})`,
      value: `${figures.serviceStepMs} ms = ${figures.serviceTokPerS} tok/s`,
      note: `split: decode ${figures.serviceSplitMs.decode}, sampling ${figures.serviceSplitMs.sampling}, JS + dispatch ${figures.serviceSplitMs.javascript} ms`,
    },
    {
      section: "decode",
      metric: "service loop step, mean / p90 (slow steps included)",
      value: `${figures.serviceTailMs.stepMean} / ${figures.serviceTailMs.stepP90} ms`,
      note: `native decode call: mean ${figures.serviceTailMs.decodeMean}, p90 ${figures.serviceTailMs.decodeP90} ms; outside it: mean ${figures.serviceTailMs.outsideDecodeMean} ms`,
    },
    {
      section: "decode",
      metric: "node-llama-cpp evaluate() loop step",
      value: `${figures.libraryLoopStepMs} ms = ${figures.libraryLoopTokPerS} tok/s`,
      note: `the engine's previous path; decode ${figures.librarySplitMs.decode}, JS ${figures.librarySplitMs.javascript} ms`,
    },
  ];
  if (llamaBench) {
    rows.push({
      section: "decode",
      metric: "llama-bench tg32, in the same rounds",
      value: `${figures.llamaBenchTgTokPerS} tok/s`,
      note: `service loop = ${Math.round((figures.serviceShareOfLlamaBench ?? 0) * 100)}% of it`,
    });
    if (figures.llamaBenchTg1ThreadTokPerS !== undefined) {
      rows.push({
        section: "decode",
        metric: "llama-bench tg32 on 1 thread, same rounds",
        value: `${figures.llamaBenchTg1ThreadTokPerS} tok/s = ${roundTo(1000 / figures.llamaBenchTg1ThreadTokPerS, 2)} ms`,
        note: `node-llama-cpp's raw 1-thread step: ${figures.oneThreadRawStepMs} ms`,
      });
    }
  }
  await q8Context.dispose();
  await f16Context.dispose();
  await model.dispose();
  await llama.dispose();
  return { figures, rows, contention: stop() };
}

runAsScript(import.meta.url, measureDecodeBreakdown);
