import type { LlamaContext, LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";

/**
 * The settings node-llama-cpp's native sampler (`AddonSampler.applyConfig`, 3.21.1) understands. The native chain
 * is: token biases → repeat penalty → (greedy when temperature is 0) | (top-k → top-p → min-p → temperature → dist).
 */
export interface NativeSamplerConfig {
  /** 0 selects the greedy sampler; anything else samples from the distribution. */
  temperature: number;
  /** How many of the most likely tokens stay candidates; 0 keeps the whole vocabulary. */
  topK?: number;
  /** 1 disables nucleus filtering. */
  topP?: number;
  minP?: number;
  seed?: number;
  repeatPenalty?: number;
  repeatPenaltyMaxTokens?: number;
  /** The history the repeat penalty starts from; the sampler appends every token it samples afterwards. */
  repeatPenaltyTokens?: Uint32Array;
  tokenBiasKeys?: Uint32Array;
  /** Added to the logits of `tokenBiasKeys`, element by element. */
  tokenBiasValues?: Float32Array;
}

/** A native llama.cpp sampler chain. Not thread-safe: one sampling at a time. */
export interface NativeSampler {
  applyConfig(config: NativeSamplerConfig): void;
  dispose(): void;
}

/** One output row (the logits after one token) of a decoded batch, valid until the callback returns. */
export interface OutputRow {
  /** The sampled token. */
  sample(sampler: NativeSampler): Promise<Token>;
  /**
   * The sampled token and the probabilities of the candidates left after the chain's filters (renormalised over
   * them). Only cheap when the chain keeps few candidates, e.g. top-k with a small k.
   */
  sampleCandidates(sampler: NativeSampler): Promise<{ token: Token; probabilities: Map<Token, number> }>;
  /** The sampled token and its probability among all candidates left after the chain's filters. */
  sampleConfidence(sampler: NativeSampler): Promise<{ token: Token; confidence: number }>;
}

type SampleResult = number | [number, number[] | undefined, number | undefined];

interface AddonContext {
  sampleToken(batchLogitIndex: number, sampler: NativeSampler, ...metadata: boolean[]): Promise<SampleResult>;
  initBatch(size: number): void;
  setThreads(threads: number): void;
  decodeBatch(): Promise<void>;
}

interface ContextInternals {
  _ctx: AddonContext;
}

interface SequenceInternals {
  _decodeTokens(
    tokens: Token[],
    logits: boolean[],
    evaluationPriority: number,
    tokenMeter: unknown,
    contextShiftOptions: { size: number; strategy: "eraseBeginning" },
    logitDataMapper: (batchLogitIndex: number, tokenIndex: number) => unknown,
    afterBatchAction?: undefined,
  ): Promise<unknown[]>;
  _tokenMeter: unknown;
  _context: { _ctx: AddonContext };
}

interface ModelInternals {
  _model: unknown;
  _llama: { _bindings: { AddonSampler: new (model: unknown) => NativeSampler } };
}

// node-llama-cpp's own default: the middle of its 1–10 scale.
const evaluationPriority = 5;
// Callers check that prompts fit, so the context never shifts; the value only satisfies the signature.
const noShift = { size: 1, strategy: "eraseBeginning" } as const;

const sequenceInternals = (sequence: LlamaContextSequence) => sequence as unknown as SequenceInternals;
const modelInternals = (model: LlamaModel) => model as unknown as ModelInternals;

/**
 * Fails at start-up, with a message that names the cause, when the installed node-llama-cpp lacks the internals
 * this module relies on (they are not public API; the package is pinned to 3.21.1 for this reason).
 */
export function checkLlamaInternals(model: LlamaModel, sequence: LlamaContextSequence): void {
  const seq = sequenceInternals(sequence) as Partial<SequenceInternals>;
  const mod = modelInternals(model) as Partial<ModelInternals>;
  const missing = [
    typeof seq._decodeTokens === "function" ? undefined : "LlamaContextSequence._decodeTokens",
    ...(["sampleToken", "initBatch", "setThreads", "decodeBatch"] as const).map((method) =>
      typeof seq._context?._ctx?.[method] === "function" ? undefined : `AddonContext.${method}`,
    ),
    typeof mod._llama?._bindings?.AddonSampler === "function" ? undefined : "bindings.AddonSampler",
  ].filter((name) => name !== undefined);
  if (missing.length > 0) {
    throw new Error(
      `This node-llama-cpp build lacks ${missing.join(", ")}; the engine's fast path needs node-llama-cpp 3.21.1`,
    );
  }
}

/**
 * Chooses the thread count of every batch from its size, the way llama.cpp's own `n_threads` / `n_threads_batch`
 * split does (node-llama-cpp applies one count to every batch). `choose` gets the batch's token count and the
 * count node-llama-cpp's thread splitter allowed (which the thread governor lowers under contention).
 */
export function routeBatchThreads(
  context: LlamaContext,
  choose: (batchTokens: number, allowed: number) => number,
): void {
  const holder = context as unknown as ContextInternals;
  const native = holder._ctx;
  let batchTokens = 0;
  let allowed = 1;
  let applied = 0;
  const overrides: Partial<AddonContext> = {
    initBatch(size) {
      batchTokens = size;
      native.initBatch(size);
    },
    setThreads(threads) {
      allowed = threads;
    },
    decodeBatch() {
      const threads = choose(batchTokens, allowed);
      if (threads !== applied) native.setThreads(threads);
      applied = threads;
      return native.decodeBatch();
    },
  };
  holder._ctx = new Proxy(native, {
    get(target, key) {
      const override = overrides[key as keyof AddonContext];
      if (override) return override;
      const value: unknown = Reflect.get(target, key);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** A native sampler configured once; reusing it across tokens avoids rebuilding the chain every step. */
export function createNativeSampler(model: LlamaModel, config: NativeSamplerConfig): NativeSampler {
  const { _llama, _model } = modelInternals(model);
  const sampler = new _llama._bindings.AddonSampler(_model);
  sampler.applyConfig(config);
  return sampler;
}

function toPairsMap(flat: number[] | undefined): Map<Token, number> {
  const map = new Map<Token, number>();
  if (!flat) return map;
  for (let i = 0; i + 1 < flat.length; i += 2) map.set(flat[i] as Token, flat[i + 1]!);
  return map;
}

function outputRow(context: AddonContext, batchLogitIndex: number): OutputRow {
  const checked = (token: number): Token => {
    if (token < 0) throw new Error("The sampler left no candidate token");
    return token as Token;
  };
  return {
    async sample(sampler) {
      return checked((await context.sampleToken(batchLogitIndex, sampler)) as number);
    },
    async sampleCandidates(sampler) {
      const [token, flat] = (await context.sampleToken(batchLogitIndex, sampler, true, false)) as [
        number,
        number[] | undefined,
        undefined,
      ];
      return { token: checked(token), probabilities: toPairsMap(flat) };
    },
    async sampleConfidence(sampler) {
      const result = (await context.sampleToken(batchLogitIndex, sampler, false, true)) as [
        number,
        undefined,
        number | undefined,
      ];
      return { token: checked(result[0]), confidence: result[2] ?? Number.NaN };
    },
  };
}

/**
 * Appends `tokens` to the sequence through the context's shared batch queue, so that concurrent calls on other
 * sequences are decoded in the same batch, and calls `onOutput` for each index in `outputAt` while its logits are
 * still current. Unlike `controlledEvaluate`, one output row can be sampled several times, with different samplers.
 * Results are returned by token index.
 */
export async function decodeTokens<T>(
  sequence: LlamaContextSequence,
  tokens: Token[],
  outputAt: readonly number[],
  onOutput: (row: OutputRow, tokenIndex: number) => Promise<T>,
): Promise<Map<number, T>> {
  const internals = sequenceInternals(sequence);
  const context = internals._context._ctx;
  const logits: boolean[] = new Array<boolean>(tokens.length).fill(false);
  for (const index of outputAt) logits[index] = true;
  const results = await internals._decodeTokens(
    tokens,
    logits,
    evaluationPriority,
    internals._tokenMeter,
    noShift,
    (batchLogitIndex, tokenIndex) => onOutput(outputRow(context, batchLogitIndex), tokenIndex),
  );
  const byIndex = new Map<number, T>();
  for (const index of outputAt) byIndex.set(index, results[index] as T);
  return byIndex;
}
