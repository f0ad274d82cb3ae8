import fs from "node:fs/promises";
import {
  getLlama,
  LlamaGrammarEvaluationState,
  LlamaLogLevel,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaGrammar,
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
import { matchLabel, planLabelGrammar, type LabelGrammarPlan } from "./label-grammar.js";
import { SequencePool } from "./sequence-pool.js";
import { TokenTextDecoder } from "./token-text-decoder.js";

export interface LocalLlmBackendOptions {
  /** A local .gguf file (already resolved). */
  modelFile: string;
  /** CPU threads for evaluation; never more than the machine's cores. */
  threads: number;
  /** Tokens per sequence. */
  contextSize: number;
  /** Concurrent sequences, each serving one request at a time. */
  sequences: number;
  /** Receives llama.cpp's warnings and errors. */
  log?: (level: "warn" | "error", message: string) => void;
  now?: () => number;
}

interface CompiledLabels {
  plan: LabelGrammarPlan;
  grammar: LlamaGrammar;
}

/** Cancellation surfaces as CLIENT_CLOSED so the caller can tell it from a model failure. */
function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError("CLIENT_CLOSED", "The request was cancelled");
}

class LocalLlmBackend implements LlmBackend {
  readonly info: ModelInfo;
  readonly #llama: Llama;
  readonly #model: LlamaModel;
  readonly #context: LlamaContext;
  readonly #pool: SequencePool;
  readonly #renderer: ChatPromptRenderer;
  readonly #labelCache = new Map<string, Promise<CompiledLabels>>();

  constructor(llama: Llama, model: LlamaModel, context: LlamaContext, info: ModelInfo) {
    this.#llama = llama;
    this.#model = model;
    this.#context = context;
    this.info = info;
    const sequences: LlamaContextSequence[] = [];
    for (let i = 0; i < info.sequences; i++) sequences.push(context.getSequence());
    this.#pool = new SequencePool(sequences);
    this.#renderer = createChatPromptRenderer(model);
  }

  countTokens(text: string): number {
    return this.#model.tokenize(text, false).length;
  }

  async classify(request: ClassifyRequest): Promise<ClassifyResult> {
    const { plan, grammar } = await this.#compileLabels(request.labels);
    const tokens = this.#renderer.render([...request.prefix, { role: "user", content: request.input }]);
    this.#checkFits(tokens.length + Math.max(...plan.labelTokens.map((t) => t.length)));
    const sequence = await this.#pool.acquire(tokens, request.signal);
    try {
      const pending = await this.#prepare(sequence, tokens);
      throwIfAborted(request.signal);
      const grammarEvaluationState = new LlamaGrammarEvaluationState({ model: this.#model, grammar });
      const chosen: Token[] = [];
      let probability = 1;
      const steps = sequence.evaluateWithMetadata(
        pending,
        { confidence: true },
        { grammarEvaluationState, temperature: 0 },
      );
      for await (const { token, confidence } of steps) {
        chosen.push(token);
        probability *= confidence;
        const index = matchLabel(plan, chosen);
        if (index !== undefined) {
          // The grammar makes any other outcome impossible; the guard keeps confidence in (0, 1].
          const confidenceInRange = Math.min(1, Math.max(Number.MIN_VALUE, probability));
          return {
            label: request.labels[index]!,
            confidence: confidenceInRange,
            promptTokens: tokens.length,
            evaluatedTokens: pending.length,
          };
        }
        if (chosen.length > Math.max(...plan.labelTokens.map((t) => t.length))) break;
      }
      throw new AppError("ENGINE_FAILED", "The model produced no label");
    } finally {
      this.#pool.release(sequence);
    }
  }

  async *generate(request: GenerateRequest): AsyncGenerator<GenerateStreamPart> {
    const tokens = this.#renderer.render(request.messages);
    this.#checkFits(tokens.length + 1);
    const maxTokens = Math.min(request.maxTokens, this.info.contextSize - tokens.length);
    const sequence = await this.#pool.acquire(tokens, request.signal);
    try {
      const pending = await this.#prepare(sequence, tokens);
      const decoder = new TokenTextDecoder(this.#model);
      let completionTokens = 0;
      let finishReason: "stop" | "length" | "cancelled" = "length";
      const options = {
        temperature: request.temperature ?? 0.7,
        ...(request.topK !== undefined && { topK: request.topK }),
        ...(request.topP !== undefined && { topP: request.topP }),
        ...(request.seed !== undefined && { seed: request.seed }),
        ...(request.repeatPenalty !== undefined &&
          request.repeatPenalty !== 1 && {
            repeatPenalty: {
              penalty: request.repeatPenalty,
              punishTokens: () => sequence.contextTokens.slice(-64),
            },
          }),
      };
      if (request.signal?.aborted) finishReason = "cancelled";
      else {
        for await (const token of sequence.evaluate(pending, options)) {
          if (this.#model.isEogToken(token)) {
            finishReason = "stop";
            break;
          }
          completionTokens++;
          const text = decoder.push(token);
          if (text) yield { type: "text", text };
          if (request.signal?.aborted) {
            finishReason = "cancelled";
            break;
          }
          if (completionTokens >= maxTokens) break;
        }
      }
      const rest = decoder.flush();
      if (rest) yield { type: "text", text: rest };
      yield {
        type: "finish",
        finishReason,
        promptTokens: tokens.length,
        evaluatedPromptTokens: pending.length,
        completionTokens,
      };
    } finally {
      this.#pool.release(sequence);
    }
  }

  async warmUp(prefixes: ChatTurn[][]): Promise<void> {
    for (const prefix of prefixes) {
      const tokens = this.#renderer.render(prefix);
      const sequence = await this.#pool.acquire(tokens);
      try {
        const pending = await this.#prepare(sequence, tokens);
        await sequence.evaluateWithoutGeneratingNewTokens(pending);
      } finally {
        this.#pool.release(sequence);
      }
    }
  }

  async dispose(): Promise<void> {
    await this.#context.dispose();
    await this.#model.dispose();
    await this.#llama.dispose();
  }

  /**
   * Erases whatever the sequence holds beyond the common prefix with `tokens` and returns the tokens that still
   * need evaluating. At least one token is always left, because evaluation needs a token to produce logits.
   */
  async #prepare(sequence: LlamaContextSequence, tokens: Token[]): Promise<Token[]> {
    const reusable = Math.min(sequence.compareContextTokens(tokens).firstDifferentIndex, tokens.length - 1);
    await sequence.adaptStateToTokens(tokens.slice(0, reusable), false);
    return tokens.slice(sequence.nextTokenIndex);
  }

  #checkFits(tokenCount: number): void {
    if (tokenCount > this.info.contextSize) {
      throw new AppError(
        "INPUT_TOO_LONG",
        `The prompt needs ${tokenCount} tokens but the context holds ${this.info.contextSize} (CONTEXT_SIZE)`,
      );
    }
  }

  #compileLabels(labels: string[]): Promise<CompiledLabels> {
    const key = JSON.stringify(labels);
    let compiled = this.#labelCache.get(key);
    if (!compiled) {
      compiled = (async () => {
        const tokenized = labels.map((label) => this.#model.tokenize(label, false));
        const endOfTurn = this.#model.tokens.eot ?? this.#model.tokens.eos;
        const plan = planLabelGrammar(labels, tokenized, endOfTurn);
        const grammar = await this.#llama.createGrammar({ grammar: plan.grammar });
        return { plan, grammar };
      })();
      compiled.catch(() => this.#labelCache.delete(key));
      this.#labelCache.set(key, compiled);
    }
    return compiled;
  }
}

/** Loads the model once and prepares a pool of sequences that every task shares. */
export async function createLocalLlmBackend(options: LocalLlmBackendOptions): Promise<LlmBackend> {
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  let llama: Llama | undefined;
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
    const context = await model.createContext({
      sequences: options.sequences,
      contextSize: options.contextSize,
      threads: options.threads,
      batchSize: Math.min(512, options.contextSize),
    });
    const { size } = await fs.stat(options.modelFile);
    const architecture = String(model.fileInfo.metadata.general?.architecture ?? "unknown");
    return new LocalLlmBackend(llama, model, context, {
      path: options.modelFile,
      sizeBytes: size,
      loadedAt: now(),
      architecture,
      contextSize: context.contextSize,
      sequences: options.sequences,
      threads: options.threads,
    });
  } catch (error) {
    await llama?.dispose().catch(() => {});
    throw new AppError(
      "MODEL_UNAVAILABLE",
      `Cannot load the model file ${options.modelFile}: ${(error as Error).message}. ` +
        `Is it a complete, valid GGUF file? Check MODEL_PATH.`,
      { cause: error },
    );
  }
}
