import fs from "node:fs/promises";
import os from "node:os";
import {
  getLlama,
  LlamaLogLevel,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel,
  type Token,
} from "node-llama-cpp";
import { AppError } from "../../errors.js";
import type {
  ChatTurn,
  ClassifyRequest,
  ClassifyResult,
  GenerateRequest,
  GenerateStreamPart,
  LlmBackend,
  ModelInfo,
} from "../llm-backend.js";
import { createChatPromptRenderer, type ChatPromptRenderer } from "./chat-prompt-renderer.js";
import { planLabelScoring, type LabelScoringPlan } from "./label-scoring-plan.js";
import { scoreLabels } from "./label-scorer.js";
import { defaultDecodeThreads, threadsForBatch } from "./batch-threads.js";
import { checkLlamaInternals, decodeTokens, routeBatchThreads } from "./llama-internals.js";
import {
  PrefixStateCache,
  type PrefixStateCacheOptions,
  type PrefixStateCacheStats,
} from "./prefix-state-cache.js";
import { replySamplerConfig } from "./reply-sampling.js";
import { SequencePool } from "./sequence-pool.js";
import { SequenceSamplers } from "./sequence-samplers.js";
import { startThreadGovernor, type ThreadGovernor, type ThreadGovernorStats } from "./thread-governor.js";
import { TokenTextDecoder } from "./token-text-decoder.js";

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
  /** Receives llama.cpp's warnings and errors. */
  log?: (level: "warn" | "error", message: string) => void;
  now?: () => number;
}

/** The local backend, with counters that benchmarks and status pages can read. */
export interface LocalLlmBackend extends LlmBackend {
  readonly prefixCacheStats: PrefixStateCacheStats | undefined;
  /** Undefined when the thread count is fixed. */
  readonly threadStats: ThreadGovernorStats | undefined;
}

/** Cancellation surfaces as CLIENT_CLOSED so the caller can tell it from a model failure. */
function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError("CLIENT_CLOSED", "The request was cancelled");
}

// Warm-up input: any short text works; it only has to exercise the same code paths as a real request.
const warmUpInput = "你好";

class LocalBackend implements LocalLlmBackend {
  readonly info: ModelInfo;
  readonly #llama: Llama;
  readonly #model: LlamaModel;
  readonly #context: LlamaContext;
  readonly #pool: SequencePool<LlamaContextSequence>;
  readonly #sequences: LlamaContextSequence[];
  readonly #renderer: ChatPromptRenderer;
  readonly #prefixes: PrefixStateCache | undefined;
  readonly #governor: ThreadGovernor | undefined;
  readonly #labelPlans = new Map<string, LabelScoringPlan>();
  readonly #samplers = new Map<LlamaContextSequence, SequenceSamplers>();

  constructor(
    llama: Llama,
    model: LlamaModel,
    context: LlamaContext,
    prefixes: PrefixStateCache | undefined,
    governor: ThreadGovernor | undefined,
    info: ModelInfo,
  ) {
    this.#llama = llama;
    this.#model = model;
    this.#context = context;
    this.#prefixes = prefixes;
    this.#governor = governor;
    this.info = info;
    this.#sequences = Array.from({ length: info.sequences }, () => context.getSequence());
    checkLlamaInternals(model, this.#sequences[0]!);
    this.#pool = new SequencePool(this.#sequences);
    this.#renderer = createChatPromptRenderer(model);
  }

  get prefixCacheStats(): PrefixStateCacheStats | undefined {
    return this.#prefixes?.stats;
  }

  get threadStats(): ThreadGovernorStats | undefined {
    return this.#governor?.stats;
  }

  countTokens(text: string): number {
    return this.#model.tokenize(text, false).length;
  }

  async classify(request: ClassifyRequest): Promise<ClassifyResult> {
    const plan = this.#labelPlan(request.labels);
    const tokens = this.#renderer.render([...request.prefix, { role: "user", content: request.input }]);
    this.#checkFits(tokens.length + Math.max(...plan.labelTokens.map((t) => t.length)));
    const sequence = await this.#pool.acquire(tokens, request.signal);
    try {
      const { pending, reusedTokens } = await this.#prepare(
        sequence,
        tokens,
        this.#stableLengths(request.prefix),
      );
      throwIfAborted(request.signal);
      const choice = await scoreLabels(this.#samplersOf(sequence), sequence, pending, plan);
      return {
        label: request.labels[choice.index]!,
        // Rounding can leave a probability at 0 or a hair above 1; the contract is (0, 1].
        confidence: Math.min(1, Math.max(Number.MIN_VALUE, choice.probabilities[choice.index]!)),
        promptTokens: tokens.length,
        evaluatedTokens: tokens.length - reusedTokens,
      };
    } finally {
      this.#pool.release(sequence);
    }
  }

  async *generate(request: GenerateRequest): AsyncGenerator<GenerateStreamPart> {
    const tokens = this.#renderer.render(request.messages);
    this.#checkFits(tokens.length + 1);
    const maxTokens = Math.min(request.maxTokens, this.info.contextSize - tokens.length);
    const [firstTurn] = request.messages;
    // Only the system prompt is shared between conversations; a conversation's own history stays warm in its
    // sequence through the pool's prefix affinity.
    const stableLengths = firstTurn?.role === "system" ? this.#stableLengths([firstTurn]) : [];
    const sequence = await this.#pool.acquire(tokens, request.signal);
    try {
      const sampler = this.#samplersOf(sequence).reply(
        replySamplerConfig(request, tokens, () => Math.floor(Math.random() * 2 ** 32)),
      );
      const { pending, reusedTokens } = await this.#prepare(sequence, tokens, stableLengths);
      const decoder = new TokenTextDecoder(this.#model);
      let completionTokens = 0;
      let finishReason: "stop" | "length" | "cancelled" = "length";
      let input: Token[] = pending;
      while (completionTokens < maxTokens) {
        if (request.signal?.aborted) {
          finishReason = "cancelled";
          break;
        }
        const last = input.length - 1;
        const token = (await decodeTokens(sequence, input, [last], (row) => row.sample(sampler))).get(last)!;
        if (this.#model.isEogToken(token)) {
          finishReason = "stop";
          break;
        }
        completionTokens++;
        const text = decoder.push(token);
        if (text) yield { type: "text", text };
        input = [token];
      }
      const rest = decoder.flush();
      if (rest) yield { type: "text", text: rest };
      yield {
        type: "finish",
        finishReason,
        promptTokens: tokens.length,
        evaluatedPromptTokens: tokens.length - reusedTokens,
        completionTokens,
      };
    } finally {
      this.#pool.release(sequence);
    }
  }

  async warmUp(prefixes: ChatTurn[][]): Promise<void> {
    // Warm-up owns the whole pool, so that it can choose which sequence holds which prefix.
    const held: LlamaContextSequence[] = [];
    for (let i = 0; i < this.#sequences.length; i++) held.push(await this.#pool.acquire([]));
    try {
      // The first request of each batch shape pays llama.cpp's one-off allocations; a one-token step is what every
      // generated token costs, so it is run once here too.
      const userOnly = this.#renderer.render([{ role: "user", content: warmUpInput }]);
      await this.#warmUpSequence(held[0]!, userOnly, []);
      await this.#stepOnceAndForget(held[0]!);
      // Sequence s holds prefix s mod P, so that the arms of an A/B test all start warm; with more prefixes than
      // sequences the later ones still get their snapshot made.
      for (const [i, prefix] of prefixes.entries()) {
        const tokens = this.#renderer.render([...prefix, { role: "user", content: warmUpInput }]);
        const stableLengths = this.#stableLengths(prefix);
        const targets = held.filter((_, s) => s % prefixes.length === i);
        for (const sequence of targets.length > 0 ? targets : [held[i % held.length]!]) {
          await this.#warmUpSequence(sequence, tokens, stableLengths);
        }
      }
    } finally {
      for (const sequence of held) this.#pool.release(sequence);
    }
  }

  async dispose(): Promise<void> {
    this.#governor?.stop();
    for (const samplers of this.#samplers.values()) samplers.dispose();
    await this.#prefixes?.dispose();
    await this.#context.dispose();
    await this.#model.dispose();
    await this.#llama.dispose();
  }

  /** Also creates the sequence's samplers, so that no request pays for that. */
  async #warmUpSequence(
    sequence: LlamaContextSequence,
    tokens: Token[],
    stableLengths: number[],
  ): Promise<void> {
    const { pending } = await this.#prepare(sequence, tokens, stableLengths);
    const samplers = this.#samplersOf(sequence);
    samplers.reply({ temperature: 0 });
    await decodeTokens(sequence, pending, [pending.length - 1], (row) => row.sample(samplers.greedy()));
  }

  async #stepOnceAndForget(sequence: LlamaContextSequence): Promise<void> {
    const start = sequence.nextTokenIndex;
    const token = sequence.contextTokens.at(-1)!;
    const greedy = this.#samplersOf(sequence).greedy();
    await decodeTokens(sequence, [token], [0], (row) => row.sample(greedy));
    await sequence.eraseContextTokenRanges([{ start, end: sequence.nextTokenIndex }]);
  }

  #samplersOf(sequence: LlamaContextSequence): SequenceSamplers {
    let samplers = this.#samplers.get(sequence);
    if (!samplers) {
      samplers = new SequenceSamplers(this.#model);
      this.#samplers.set(sequence, samplers);
    }
    return samplers;
  }

  /**
   * Prefix lengths worth caching for a classifier prefix: all of it, and the system prompt alone, which stays
   * shared even when few-shot turns are retrieved per input.
   */
  #stableLengths(prefix: ChatTurn[]): number[] {
    const lengths = [this.#renderer.inputIndependentLength(prefix)];
    if (prefix.length > 1 && prefix[0]!.role === "system") {
      lengths.push(this.#renderer.inputIndependentLength([prefix[0]!]));
    }
    return lengths;
  }

  async #prepare(sequence: LlamaContextSequence, tokens: Token[], stableLengths: number[]) {
    if (this.#prefixes) return this.#prefixes.prepare(sequence, tokens, stableLengths);
    const reusable = Math.min(sequence.compareContextTokens(tokens).firstDifferentIndex, tokens.length - 1);
    if (reusable < sequence.nextTokenIndex) {
      await sequence.eraseContextTokenRanges([{ start: reusable, end: sequence.nextTokenIndex }]);
    }
    return { pending: tokens.slice(reusable), reusedTokens: reusable };
  }

  #checkFits(tokenCount: number): void {
    if (tokenCount > this.info.contextSize) {
      throw new AppError(
        "INPUT_TOO_LONG",
        `The prompt needs ${tokenCount} tokens but the context holds ${this.info.contextSize} (CONTEXT_SIZE)`,
      );
    }
  }

  #labelPlan(labels: string[]): LabelScoringPlan {
    const key = JSON.stringify(labels);
    let plan = this.#labelPlans.get(key);
    if (!plan) {
      const tokenized = labels.map((label) => this.#model.tokenize(label, false));
      const endOfTurn = this.#model.tokens.eot ?? this.#model.tokens.eos;
      try {
        plan = planLabelScoring(labels, tokenized, endOfTurn);
      } catch (error) {
        throw new AppError("VALIDATION_FAILED", (error as Error).message, { cause: error });
      }
      this.#labelPlans.set(key, plan);
    }
    return plan;
  }
}

/**
 * q8_0 blocks hold 32 values, so llama.cpp refuses a q8_0 cache when a head's size is not a multiple of 32 (tiny
 * test models); those fall back to f16.
 */
function supportedKvCacheType(model: LlamaModel, requested: KvCacheType): KvCacheType {
  if (requested === "f16") return requested;
  const metadata = model.fileInfo.metadata as unknown as Record<string, Record<string, unknown> | undefined>;
  const architecture = metadata[String(model.fileInfo.metadata.general?.architecture)];
  const attention = architecture?.attention as { key_length?: number; head_count?: number } | undefined;
  const embedding = Number(architecture?.embedding_length);
  const headSize = attention?.key_length ?? embedding / Number(attention?.head_count);
  return Number.isInteger(headSize) && headSize % 32 === 0 ? requested : "f16";
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
    const model = await llama.loadModel({ modelPath: options.modelFile });
    const kvCacheType = supportedKvCacheType(model, options.kvCacheType ?? "q8_0");
    const context = await model.createContext({
      sequences: options.sequences,
      contextSize: options.contextSize,
      threads: options.threads,
      batchSize: Math.min(512, options.contextSize),
      // llama.cpp only quantizes the V cache with flash attention.
      flashAttention: kvCacheType !== "f16",
      experimentalKvCacheKeyType: kvCacheType === "f16" ? "F16" : "Q8_0",
      experimentalKvCacheValueType: kvCacheType === "f16" ? "F16" : "Q8_0",
    });
    const decodeThreads = options.decodeThreads ?? defaultDecodeThreads(options.threads);
    routeBatchThreads(context, (batchTokens, allowed) =>
      threadsForBatch(batchTokens, allowed, decodeThreads),
    );
    if (options.prefixCache !== false) prefixes = await PrefixStateCache.create(options.prefixCache ?? {});
    const loadedLlama = llama;
    // node-llama-cpp's thread splitter shares maxThreads between consumers, and hands out a new consumer per batch
    // before the last one is freed: a cap equal to THREADS would halve some batches. So the cap is only lowered to
    // give threads up, and otherwise left at its default (4 or more).
    const uncapped = loadedLlama.maxThreads;
    const ceiling = Math.min(options.threads, os.availableParallelism());
    governor =
      options.adaptiveThreads !== false && options.threads > 1
        ? startThreadGovernor({
            configured: options.threads,
            cores: os.availableParallelism(),
            apply: (threads) => (loadedLlama.maxThreads = threads >= ceiling ? uncapped : threads),
          })
        : undefined;
    const { size } = await fs.stat(options.modelFile);
    const architecture = String(model.fileInfo.metadata.general?.architecture ?? "unknown");
    return new LocalBackend(llama, model, context, prefixes, governor, {
      path: options.modelFile,
      sizeBytes: size,
      loadedAt: now(),
      architecture,
      contextSize: context.contextSize,
      sequences: options.sequences,
      threads: options.threads,
    });
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
