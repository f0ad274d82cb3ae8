import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";
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
import type { BranchForker, LabelBranchLanes, LabelLaneStats } from "./label-branch-lanes.js";
import { scoreLabels } from "./label-scorer.js";
import { checkLlamaInternals, decodeTokens } from "./llama-internals.js";
import type { PrefixStateCache, PrefixStateCacheStats } from "./prefix-state-cache.js";
import { replySamplerConfig } from "./reply-sampling.js";
import { SequencePool } from "./sequence-pool.js";
import { SequenceSamplers } from "./sequence-samplers.js";
import type { ThreadGovernor, ThreadGovernorStats } from "./thread-governor.js";
import { TokenTextDecoder } from "./token-text-decoder.js";

/** The local backend, with counters that benchmarks and status pages can read. */
export interface LocalLlmBackend extends LlmBackend {
  readonly prefixCacheStats: PrefixStateCacheStats | undefined;
  /** Undefined when the thread count is fixed. */
  readonly threadStats: ThreadGovernorStats | undefined;
  /** Undefined until a label set with several paths was scored, or with LABEL_LANES=0. */
  readonly labelLaneStats: LabelLaneStats | undefined;
}

/** Cancellation surfaces as CLIENT_CLOSED so the caller can tell it from a model failure. */
function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError("CLIENT_CLOSED", "The request was cancelled");
}

// Warm-up input: a short greeting exercises the same code paths as a real request.
const warmUpInput = "你好";

/**
 * The engine on one loaded model: a pool of sequences, prompt prefixes restored from snapshots, labels scored in
 * one forward pass, and replies generated token by token through the context's shared batch queue. Built by
 * `createLocalLlmBackend`, which owns loading and thread policy.
 */
export class NodeLlamaCppBackend implements LocalLlmBackend {
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
  readonly #ownsModel: boolean;
  readonly #createLanes: (() => Promise<LabelBranchLanes>) | undefined;
  #lanes: Promise<LabelBranchLanes | undefined> | undefined;
  #madeLanes: LabelBranchLanes | undefined;

  constructor(
    llama: Llama,
    model: LlamaModel,
    context: LlamaContext,
    prefixes: PrefixStateCache | undefined,
    governor: ThreadGovernor | undefined,
    info: ModelInfo,
    /** False for a LoRA adapter's extra context: disposing it leaves the shared model loaded. */
    ownsModel = true,
    /**
     * Makes the spare sequences that multi-token label paths are forked into (see label-branch-lanes.ts), on first
     * need; without it the paths are decoded one after another.
     */
    createLanes?: () => Promise<LabelBranchLanes>,
  ) {
    this.#ownsModel = ownsModel;
    this.#createLanes = createLanes;
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

  get labelLaneStats(): LabelLaneStats | undefined {
    return this.#madeLanes?.stats;
  }

  countTokens(text: string): number {
    return this.#model.tokenize(text, false).length;
  }

  async classify(request: ClassifyRequest): Promise<ClassifyResult> {
    const started = performance.now();
    const plan = this.#labelPlan(request.labels);
    const tokens = this.#renderer.render([...request.prefix, { role: "user", content: request.input }]);
    this.#checkFits(tokens.length + Math.max(...plan.labelTokens.map((t) => t.length)));
    const rendered = performance.now();
    const sequence = await this.#pool.acquire(tokens, request.signal);
    try {
      const acquired = performance.now();
      const { pending, reusedTokens } = await this.#prepare(
        sequence,
        tokens,
        this.#stableLengths(request.prefix),
      );
      throwIfAborted(request.signal);
      const prepared = performance.now();
      const forker = plan.branches.paths.length > 1 ? await this.#forker() : undefined;
      const choice = await scoreLabels(this.#samplersOf(sequence), sequence, pending, plan, forker);
      return {
        label: request.labels[choice.index]!,
        // Rounding can leave a probability at 0 or a hair above 1; the contract is (0, 1].
        confidence: Math.min(1, Math.max(Number.MIN_VALUE, choice.probabilities[choice.index]!)),
        probabilities: Object.fromEntries(
          request.labels.map((label, i) => [label, choice.probabilities[i]!]),
        ),
        promptTokens: tokens.length,
        evaluatedTokens: tokens.length - reusedTokens,
        timings: {
          renderMs: rendered - started,
          queuedMs: acquired - rendered,
          prefixMs: prepared - acquired,
          forwardMs: performance.now() - prepared,
        },
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
    await (await this.#lanes)?.dispose();
    await this.#context.dispose();
    if (!this.#ownsModel) return;
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
    samplers.createAll();
    await decodeTokens(sequence, pending, [pending.length - 1], (row) => row.sample(samplers.greedy()));
  }

  async #stepOnceAndForget(sequence: LlamaContextSequence): Promise<void> {
    const start = sequence.nextTokenIndex;
    const token = sequence.contextTokens.at(-1)!;
    const greedy = this.#samplersOf(sequence).greedy();
    await decodeTokens(sequence, [token], [0], (row) => row.sample(greedy));
    await sequence.eraseContextTokenRanges([{ start, end: sequence.nextTokenIndex }]);
  }

  /** The lanes, made once; a failure to make them (memory) leaves label paths decoded one after another. */
  #forker(): Promise<BranchForker | undefined> {
    this.#lanes ??=
      this.#createLanes?.().then(
        (lanes) => (this.#madeLanes = lanes),
        () => undefined,
      ) ?? Promise.resolve(undefined);
    return this.#lanes;
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
