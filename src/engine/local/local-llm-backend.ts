import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { getLlama, LlamaLogLevel, type Llama, type LlamaModel } from "node-llama-cpp";
import { AppError } from "../../errors.js";
import { defaultDecodeThreads, threadsForBatch } from "./batch-threads.js";
import { routeBatchThreads } from "./llama-internals.js";
import type { AdapterSelection } from "../llm-backend.js";
import { AdapterRoutingBackend } from "./adapter-routing-backend.js";
import { LabelBranchLanes } from "./label-branch-lanes.js";
import { NodeLlamaCppBackend, type LocalLlmBackend } from "./node-llama-cpp-backend.js";
import { PrefixStateCache, type PrefixStateCacheOptions } from "./prefix-state-cache.js";
import { startThreadGovernor, type ThreadGovernor } from "./thread-governor.js";

export type { LocalLlmBackend } from "./node-llama-cpp-backend.js";

/** KV cache element types; q8_0 halves the cache's memory and needs flash attention. */
export type KvCacheType = "f16" | "q8_0";

export interface LocalLlmBackendOptions {
  /** A local .gguf file (already resolved). */
  modelFile: string;
  /** CPU threads for evaluation; never more than the machine's cores. */
  threads: number;
  /** Tokens per sequence. */
  contextSize: number;
  /** Concurrent sequences, each serving one request at a time. */
  sequences: number;
  /**
   * Element type of the KV cache. Defaults to q8_0: llama.cpp fills the whole cache at start, and in f16 the
   * default 4 sequences × 2048 tokens alone take 768 MiB of resident memory on the 0.5B model (408 MiB in q8_0).
   */
  kvCacheType?: KvCacheType;
  /** Where evaluated prompt prefixes are kept for reuse across sequences; `false` turns the cache off. */
  prefixCache?: PrefixStateCacheOptions | false;
  /**
   * Use fewer than `threads` while other work keeps cores busy (see thread-governor.ts); on by default. `false`
   * always uses `threads`.
   */
  adaptiveThreads?: boolean;
  /** Threads for generation steps (batches of 1–2 tokens); defaults to half of `threads` (see batch-threads.ts). */
  decodeThreads?: number;
  /**
   * Map the model file instead of reading it into memory. Off by default: on the VM measured here the kernel's
   * memory monitor (DAMON) samples and pages out mapped file pages, which stalled 16 of 150 generation steps by
   * 15–65 ms (3 of 150 with the weights read into memory) and would evict an idle model. Reading costs about 2 s
   * more at start; resident memory is the same.
   */
  mmap?: boolean;
  /**
   * LoRA adapter contexts kept at most (MAX_ADAPTERS); each holds its own KV cache of `sequences` ×
   * `contextSize`. Defaults to 2; 0 refuses every adapter version.
   */
  maxAdapters?: number;
  /**
   * Tokens of each spare sequence ("lane", one per sequence, made on first need) that a classification's multi-token
   * label paths are forked into so that they decode in one batch (see label-branch-lanes.ts); a longer prompt decodes
   * its paths one after another. Defaults to 0: no lanes (on this machine under load they were not measurably faster; docs/performance.md).
   */
  labelLaneTokens?: number;
  /** Receives llama.cpp's warnings and errors. */
  log?: (level: "warn" | "error", message: string) => void;
  now?: () => number;
}

/**
 * q8_0 blocks hold 32 values, so llama.cpp refuses a q8_0 cache when a head's size is not a multiple of 32 (tiny
 * test models); those fall back to f16.
 */
function supportedKvCacheType(model: LlamaModel, requested: KvCacheType): KvCacheType {
  if (requested === "f16") return requested;
  const { metadata } = model.fileInfo;
  const architectureName = String(metadata.general?.architecture);
  const architecture = plainRecord(Object.entries(metadata).find(([key]) => key === architectureName)?.[1]);
  const attention = plainRecord(architecture?.attention);
  const embedding = Number(architecture?.embedding_length);
  const headSize = Number(attention?.key_length ?? embedding / Number(attention?.head_count));
  return Number.isInteger(headSize) && headSize % 32 === 0 ? requested : "f16";
}

/** A GGUF metadata section as plain key/value pairs (the architecture's section is keyed by its name). */
function plainRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null ? Object.fromEntries(Object.entries(value)) : undefined;
}

/** Loads the model once and prepares a pool of sequences that every task shares. */
export async function createLocalLlmBackend(options: LocalLlmBackendOptions): Promise<LocalLlmBackend> {
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  let llama: Llama | undefined;
  let prefixes: PrefixStateCache | undefined;
  let governor: ThreadGovernor | undefined;
  try {
    llama = await getLlama({
      gpu: false,
      build: "never",
      logLevel: LlamaLogLevel.warn,
      logger: (level, message) => {
        if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) log("error", message.trim());
        else if (level === LlamaLogLevel.warn) log("warn", message.trim());
      },
    });
    const model = await llama.loadModel({ modelPath: options.modelFile, useMmap: options.mmap ?? false });
    const kvCacheType = supportedKvCacheType(model, options.kvCacheType ?? "q8_0");
    const contextOptions = {
      sequences: options.sequences,
      contextSize: options.contextSize,
      threads: options.threads,
      batchSize: Math.min(512, options.contextSize),
      // llama.cpp only quantizes the V cache with flash attention.
      flashAttention: kvCacheType !== "f16",
      experimentalKvCacheKeyType: kvCacheType === "f16" ? "F16" : "Q8_0",
      experimentalKvCacheValueType: kvCacheType === "f16" ? "F16" : "Q8_0",
    } as const;
    const context = await model.createContext(contextOptions);
    // Every batch's thread count comes from here: the governor's ceiling (lowered while other work keeps cores
    // busy), then half of it for generation steps. node-llama-cpp's own thread splitter stays at its default.
    const decodeThreads = options.decodeThreads ?? defaultDecodeThreads(options.threads);
    let governed = options.threads;
    const routeThreads = (target: typeof context) =>
      routeBatchThreads(target, (batchTokens, allowed) =>
        threadsForBatch(batchTokens, Math.min(allowed, governed), decodeThreads),
      );
    routeThreads(context);
    governor =
      options.adaptiveThreads !== false && options.threads > 1
        ? startThreadGovernor({
            configured: options.threads,
            cores: os.availableParallelism(),
            apply: (threads) => (governed = threads),
          })
        : undefined;
    if (options.prefixCache !== false) prefixes = await PrefixStateCache.create(options.prefixCache ?? {});
    const { size } = await fs.stat(options.modelFile);
    const architecture = String(model.fileInfo.metadata.general?.architecture ?? "unknown");
    const info = {
      backend: "local",
      name: path.basename(options.modelFile),
      contextSize: context.contextSize,
      sequences: options.sequences,
      loadedAt: now(),
      local: { path: options.modelFile, sizeBytes: size, architecture, threads: options.threads },
    } as const;
    const laneTokens = options.labelLaneTokens ?? 0;
    const createLanes = async () =>
      LabelBranchLanes.create(model, async () => {
        const laneContext = await model.createContext({
          ...contextOptions,
          contextSize: laneTokens,
          batchSize: Math.min(512, laneTokens),
        });
        routeThreads(laneContext);
        return laneContext;
      });
    const base = new NodeLlamaCppBackend(
      llama,
      model,
      context,
      prefixes,
      governor,
      info,
      true,
      laneTokens > 0 ? createLanes : undefined,
    );
    const loaded = llama;
    // An adapter's context: the same settings plus the LoRA; no prefix cache (its states hold another model's
    // activations), and disposing it leaves the shared model loaded.
    const adapterEngine = async (adapter: AdapterSelection) => {
      const adapted = await model.createContext({
        ...contextOptions,
        lora: { adapters: [{ filePath: adapter.path, scale: adapter.scale }] },
      });
      routeThreads(adapted);
      return new NodeLlamaCppBackend(loaded, model, adapted, undefined, undefined, info, false);
    };
    return new AdapterRoutingBackend(base, adapterEngine, options.maxAdapters ?? 2);
  } catch (error) {
    governor?.stop();
    await prefixes?.dispose().catch(() => {});
    await llama?.dispose().catch(() => {});
    throw new AppError(
      "MODEL_UNAVAILABLE",
      `Cannot load the model file ${options.modelFile}: ${(error as Error).message}. ` +
        `Is it a complete, valid GGUF file? Check MODEL_PATH.`,
      { cause: error },
    );
  }
}
