import type {
  ChatTurn,
  ClassifyRequest,
  ClassifyResult,
  GenerateRequest,
  GenerateStreamPart,
  LlmBackend,
  ModelInfo,
} from "./llm-backend.js";
import { AppError } from "../errors.js";

/** The probability the fake gives the label its rule picks; the other labels share the rest. */
const chosenProbability = 0.9;

/** Decides a classification; it sees the whole request (prefix with system prompt and examples, input, labels). */
export type ClassifyRule = (request: ClassifyRequest) => string;

/** Options of FakeLlmBackend. */
export interface FakeLlmBackendOptions {
  /** Default: the first label. */
  classify?: ClassifyRule;
  /** The reply text for a generate request. Default "好的。". */
  reply?: (request: GenerateRequest) => string;
  /** What it says about itself; default a 2048-token "fake.gguf" with one sequence. */
  info?: Partial<Pick<ModelInfo, "name" | "contextSize" | "sequences">>;
  /** Pause before each reply token and each classification (default 0), as a slow model would. */
  delayMs?: number;
  /** Keep every request in classifyCalls/generateCalls (default true); long runs turn it off. */
  recordCalls?: boolean;
}

/** The system prompt of a classify request (its first turn). */
export function systemPromptOf(request: ClassifyRequest): string {
  return request.prefix.find((turn) => turn.role === "system")?.content ?? "";
}

/** The few-shot examples in a classify request's prefix, as user/assistant pairs. */
export function examplesOf(request: ClassifyRequest): { input: string; label: string }[] {
  const examples: { input: string; label: string }[] = [];
  const turns: ChatTurn[] = request.prefix.filter((turn) => turn.role !== "system");
  for (let i = 0; i + 1 < turns.length; i += 2) {
    examples.push({ input: turns[i]!.content, label: turns[i + 1]!.content });
  }
  return examples;
}

/** Cancellation surfaces as CLIENT_CLOSED, as in the real backends. */
function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError("CLIENT_CLOSED", "The request was cancelled");
}

/**
 * A test double of the served model: answers classify requests from a rule given by the test and replies with
 * fixed text, recording every call. It keeps the contract the real backends keep (llm-backend.contract.ts): the
 * label is one of the allowed labels with a distribution over all of them, replies stop at maxTokens, an aborted
 * signal ends the call with CLIENT_CLOSED or a "cancelled" finish, and a prompt larger than the context is
 * refused with INPUT_TOO_LONG. One token per character.
 */
export class FakeLlmBackend implements LlmBackend {
  readonly info: ModelInfo;
  readonly classifyCalls: ClassifyRequest[] = [];
  readonly generateCalls: GenerateRequest[] = [];
  readonly warmedUp: ChatTurn[][] = [];
  disposed = false;
  readonly #classify: ClassifyRule;
  readonly #reply: (request: GenerateRequest) => string;
  readonly #recordCalls: boolean;
  readonly #delayMs: number;

  constructor(options: FakeLlmBackendOptions = {}) {
    const name = options.info?.name ?? "fake.gguf";
    this.info = {
      backend: "local",
      name,
      contextSize: options.info?.contextSize ?? 2048,
      sequences: options.info?.sequences ?? 1,
      loadedAt: 0,
      local: { path: name, sizeBytes: 0, architecture: "fake", threads: 1 },
    };
    this.#classify = options.classify ?? ((request) => request.labels[0]!);
    this.#reply = options.reply ?? (() => "好的。");
    this.#recordCalls = options.recordCalls ?? true;
    this.#delayMs = options.delayMs ?? 0;
  }

  async classify(request: ClassifyRequest): Promise<ClassifyResult> {
    throwIfAborted(request.signal);
    const promptTokens = this.countTokens(
      request.prefix.map((turn) => turn.content).join("") + request.input,
    );
    this.#checkFits(promptTokens + Math.max(...request.labels.map((label) => this.countTokens(label))));
    if (this.#recordCalls) this.classifyCalls.push(request);
    await this.#pause(request.signal);
    throwIfAborted(request.signal);
    const label = this.#classify(request);
    if (!request.labels.includes(label)) {
      throw new Error(`fake rule answered "${label}", not one of ${request.labels.join("/")}`);
    }
    const others = (1 - chosenProbability) / (request.labels.length - 1);
    const probabilities = Object.fromEntries(
      request.labels.map((l) => [l, l === label ? chosenProbability : others]),
    );
    return {
      label,
      confidence: chosenProbability,
      probabilities,
      promptTokens,
      evaluatedTokens: promptTokens,
    };
  }

  async *generate(request: GenerateRequest): AsyncIterable<GenerateStreamPart> {
    throwIfAborted(request.signal);
    const promptTokens = this.countTokens(request.messages.map((turn) => turn.content).join(""));
    this.#checkFits(promptTokens + 1);
    if (this.#recordCalls) this.generateCalls.push(request);
    const text = [...this.#reply(request)];
    const maxTokens = Math.min(request.maxTokens, this.info.contextSize - promptTokens);
    const counts = { promptTokens, evaluatedPromptTokens: promptTokens };
    let completionTokens = 0;
    for (const char of text) {
      if (completionTokens === maxTokens) {
        yield { type: "finish", finishReason: "length", ...counts, completionTokens };
        return;
      }
      // A real model yields to the event loop between tokens, so an abort can land mid-stream.
      await this.#pause(request.signal);
      if (request.signal?.aborted) {
        yield { type: "finish", finishReason: "cancelled", ...counts, completionTokens };
        return;
      }
      completionTokens++;
      yield { type: "text", text: char };
    }
    yield { type: "finish", finishReason: "stop", ...counts, completionTokens };
  }

  async warmUp(prefixes: ChatTurn[][]): Promise<void> {
    this.warmedUp.push(...prefixes);
  }

  /** One token per character: close enough to Qwen's tokenizer on Chinese text for budgeting. */
  countTokens(text: string): number {
    return [...text].length;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }

  /** The configured delay (cut short by an abort), or just a turn of the event loop. */
  async #pause(signal: AbortSignal | undefined): Promise<void> {
    if (this.#delayMs <= 0 || signal?.aborted) return Promise.resolve();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.#delayMs);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      }
      signal?.addEventListener("abort", done, { once: true });
    });
  }

  #checkFits(tokenCount: number): void {
    if (tokenCount > this.info.contextSize) {
      throw new AppError(
        "INPUT_TOO_LONG",
        `The prompt needs ${tokenCount} tokens but the context holds ${this.info.contextSize}`,
      );
    }
  }
}
