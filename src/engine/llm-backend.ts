/** One turn of a conversation, in the roles every chat template knows. */
export interface ChatTurn {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface ClassifyRequest {
  /**
   * The turns before the input: the system prompt and any few-shot turns. The backend keeps the evaluated state of
   * this prefix warm, so identical prefixes across requests are evaluated once.
   */
  prefix: ChatTurn[];
  /** The text to classify, sent as the final user turn. */
  input: string;
  /** The only outputs allowed, in order of preference for ties. */
  labels: string[];
  signal?: AbortSignal;
}

export interface ClassifyResult {
  label: string;
  /** P(label | one of the allowed labels), in (0, 1]. */
  confidence: number;
  /** Tokens of the whole rendered prompt, and how many of them had to be evaluated (the rest came from cache). */
  promptTokens: number;
  evaluatedTokens: number;
  /** Where the time went, for logs and benchmarks; backends without a model leave it out. */
  timings?: ClassifyTimings;
}

/** Milliseconds spent in each step of one classification. */
export interface ClassifyTimings {
  /** Rendering the prompt with the chat template and tokenizing it. */
  renderMs: number;
  /** Waiting for a free sequence (all were busy with other requests). */
  queuedMs: number;
  /** Putting the reusable prefix in place: already there, loaded from a snapshot, or evaluated. */
  prefixMs: number;
  /** The forward pass over the remaining tokens, with the labels scored from its output. */
  forwardMs: number;
}

export interface GenerateRequest {
  /** The whole conversation; the first turn may be the system prompt. The last turn is the user's. */
  messages: ChatTurn[];
  maxTokens: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  repeatPenalty?: number;
  /** Fixes sampling for reproducible replies (tests, replay). */
  seed?: number;
  signal?: AbortSignal;
}

/** A stream of text pieces, then exactly one finish part (unless the stream throws). */
export type GenerateStreamPart =
  | { type: "text"; text: string }
  | {
      type: "finish";
      finishReason: "stop" | "length" | "cancelled";
      promptTokens: number;
      evaluatedPromptTokens: number;
      completionTokens: number;
    };

export interface ModelInfo {
  /** The resolved local file. */
  path: string;
  sizeBytes: number;
  loadedAt: number;
  /** e.g. "qwen2". */
  architecture: string;
  contextSize: number;
  sequences: number;
  threads: number;
}

/**
 * The one model the service runs, shared by every task. Implementations: `createLocalLlmBackend`
 * (node-llama-cpp) and `FakeLlmBackend` for tests that don't need a model.
 */
export interface LlmBackend {
  readonly info: ModelInfo;
  /** Picks one of the labels, constrained so that nothing else can come out. */
  classify(request: ClassifyRequest): Promise<ClassifyResult>;
  /** Streams a reply; stops at end of turn, at maxTokens, or when the signal aborts. */
  generate(request: GenerateRequest): AsyncIterable<GenerateStreamPart>;
  /** Evaluates prefixes ahead of time so that the first real request is fast. */
  warmUp(prefixes: ChatTurn[][]): Promise<void>;
  /** Number of tokens the text would take, for budgeting prompts. */
  countTokens(text: string): number;
  dispose(): Promise<void>;
}
