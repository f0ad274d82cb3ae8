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

/** Decides a classification; it sees the whole request (prefix with system prompt and examples, input, labels). */
export type ClassifyRule = (request: ClassifyRequest) => string;

/** Options of FakeLlmBackend. */
export interface FakeLlmBackendOptions {
  /** Default: the first label. */
  classify?: ClassifyRule;
  /** The reply text for a generate request. Default "好的。". */
  reply?: (request: GenerateRequest) => string;
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

/**
 * A test double of the served model: answers classify requests from a rule given by the test and replies with
 * fixed text, recording every call. It enforces the contract the real backend keeps: the label is one of the
 * allowed labels, an aborted signal ends the call with CLIENT_CLOSED.
 */
export class FakeLlmBackend implements LlmBackend {
  readonly info: ModelInfo = {
    path: "fake.gguf",
    sizeBytes: 0,
    loadedAt: 0,
    architecture: "fake",
    contextSize: 2048,
    sequences: 1,
    threads: 1,
  };
  readonly classifyCalls: ClassifyRequest[] = [];
  readonly generateCalls: GenerateRequest[] = [];
  readonly warmedUp: ChatTurn[][] = [];
  disposed = false;
  readonly #classify: ClassifyRule;
  readonly #reply: (request: GenerateRequest) => string;

  constructor(options: FakeLlmBackendOptions = {}) {
    this.#classify = options.classify ?? ((request) => request.labels[0]!);
    this.#reply = options.reply ?? (() => "好的。");
  }

  async classify(request: ClassifyRequest): Promise<ClassifyResult> {
    if (request.signal?.aborted) throw new AppError("CLIENT_CLOSED", "The request was cancelled");
    this.classifyCalls.push(request);
    const label = this.#classify(request);
    if (!request.labels.includes(label)) {
      throw new Error(`fake rule answered "${label}", not one of ${request.labels.join("/")}`);
    }
    const promptTokens = this.countTokens(
      request.prefix.map((turn) => turn.content).join("") + request.input,
    );
    return { label, confidence: 0.9, promptTokens, evaluatedTokens: promptTokens };
  }

  async *generate(request: GenerateRequest): AsyncIterable<GenerateStreamPart> {
    this.generateCalls.push(request);
    const text = this.#reply(request);
    for (const char of text) {
      if (request.signal?.aborted) {
        yield {
          type: "finish",
          finishReason: "cancelled",
          promptTokens: 0,
          evaluatedPromptTokens: 0,
          completionTokens: 0,
        };
        return;
      }
      yield { type: "text", text: char };
    }
    const promptTokens = this.countTokens(request.messages.map((turn) => turn.content).join(""));
    yield {
      type: "finish",
      finishReason: "stop",
      promptTokens,
      evaluatedPromptTokens: promptTokens,
      completionTokens: [...text].length,
    };
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
}
