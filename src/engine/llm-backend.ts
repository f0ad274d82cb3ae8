/** One turn of a conversation, in the roles every chat template knows. */
export interface ChatTurn {
  role: "system" | "user" | "assistant";
  content: string;
}

/**
 * A LoRA adapter to apply (a prompt version's `adapter`): the local backend serves it from a context of its own,
 * after checking the file still has `sha256`; a remote backend refuses it (ADAPTER_UNSUPPORTED).
 */
export interface AdapterSelection {
  path: string;
  scale: number;
  sha256: string;
}

/** One classification: pick one of `labels` for `input`, after the `prefix` turns. */
export interface ClassifyRequest {
  /**
   * The turns before the input: the system prompt and any few-shot turns. The backend keeps the evaluated state of
   * this prefix warm, so identical prefixes across requests are evaluated once.
   */
  prefix: ChatTurn[];
  /** The text to classify, sent as the final user turn. */
  input: string;
  /** The only outputs allowed, in order of preference for ties; all different. */
  labels: string[];
  /** Aborting it ends the call with AppError CLIENT_CLOSED. */
  signal?: AbortSignal;
  /** Served with this LoRA adapter; none = the base model. */
  adapter?: AdapterSelection;
}

/** What a classification found. */
export interface ClassifyResult {
  /** One of the request's labels: the most probable one (the earlier label wins a tie). */
  label: string;
  /** P(label | one of the allowed labels), in (0, 1]: `probabilities[label]`. */
  confidence: number;
  /**
   * The whole distribution over the allowed labels: one entry per label of the request, in its order, each
   * P(that label | one of the allowed labels) in [0, 1]; together they sum to 1.
   */
  probabilities: Record<string, number>;
  /** Tokens of the whole rendered prompt. */
  promptTokens: number;
  /** How many of `promptTokens` had to be evaluated (the rest came from a cache); 0..promptTokens. */
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

/** One reply to a conversation. */
export interface GenerateRequest {
  /** The whole conversation; the first turn may be the system prompt. The last turn is the user's. */
  messages: ChatTurn[];
  /** The reply stops after this many tokens (finishReason "length"). At least 1. */
  maxTokens: number;
  /** Sampling temperature; 0 decodes greedily. The backend's default when absent. */
  temperature?: number;
  /** Nucleus sampling: keep the most probable tokens whose probabilities add up to this. */
  topP?: number;
  /** Keep only this many most probable tokens. */
  topK?: number;
  /** Penalty on tokens already in the reply (1 = none). */
  repeatPenalty?: number;
  /** Fixes sampling for reproducible replies (tests, replay), where the backend supports it. */
  seed?: number;
  /** Served with this LoRA adapter; none = the base model. */
  adapter?: AdapterSelection;
  /**
   * Aborted before the reply starts: the stream throws AppError CLIENT_CLOSED. Aborted while it streams: the
   * stream ends with a finish part whose finishReason is "cancelled".
   */
  signal?: AbortSignal;
}

/** The finish part of a reply stream: why it stopped, and its token counts. */
export interface GenerateFinish {
  type: "finish";
  /** "stop": the model ended its turn; "length": maxTokens reached; "cancelled": the signal aborted. */
  finishReason: "stop" | "length" | "cancelled";
  /** Tokens of the rendered conversation. */
  promptTokens: number;
  /** How many of `promptTokens` had to be evaluated (the rest came from a cache). */
  evaluatedPromptTokens: number;
  /** Tokens of the reply; never more than the request's maxTokens. */
  completionTokens: number;
}

/** A stream of text pieces, then exactly one finish part (unless the stream throws). */
export type GenerateStreamPart = { type: "text"; text: string } | GenerateFinish;

/** What serves the model, for /api/health, budgeting and logs. The same for every kind of backend. */
export interface ModelInfo {
  /** "local": node-llama-cpp in this process; "remote": an OpenAI-compatible server. */
  backend: "local" | "remote";
  /** The model's name: the GGUF file's name for a local model, the server's model id for a remote one. */
  name: string;
  /** Tokens one request may take, prompt and reply together (one sequence, or one server slot). */
  contextSize: number;
  /** Requests served at once; more wait their turn. */
  sequences: number;
  /** When the backend became ready to serve (epoch ms). */
  loadedAt: number;
  /** Details only a model loaded in this process has; absent for a remote backend. */
  local?: LocalModelInfo;
}

/** The local model file and how it runs. */
export interface LocalModelInfo {
  /** The resolved .gguf file. */
  path: string;
  sizeBytes: number;
  /** From the GGUF metadata, e.g. "qwen2". */
  architecture: string;
  /** CPU threads for evaluation. */
  threads: number;
}

/**
 * The one model the service runs, shared by every task. Implementations: `createLocalLlmBackend`
 * (node-llama-cpp), `FakeLlmBackend` for tests that don't need a model. Every implementation passes
 * `describeLlmBackendContract` (llm-backend.contract.ts). Failures are AppErrors: CLIENT_CLOSED when cancelled,
 * INPUT_TOO_LONG when the prompt with the longest label (or with a reply's first token) would not fit
 * `info.contextSize`.
 */
export interface LlmBackend {
  readonly info: ModelInfo;
  /** Scores every label and picks the most probable; nothing but a label can come out. */
  classify(request: ClassifyRequest): Promise<ClassifyResult>;
  /** Streams a reply; stops at end of turn, at maxTokens, or when the signal aborts. */
  generate(request: GenerateRequest): AsyncIterable<GenerateStreamPart>;
  /** Evaluates prefixes ahead of time so that the first real request is fast; a no-op where nothing is cached. */
  warmUp(prefixes: ChatTurn[][]): Promise<void>;
  /** Number of tokens the text would take (without chat-template tokens), for budgeting prompts. */
  countTokens(text: string): number;
  /** Frees the model; the backend serves nothing afterwards. */
  dispose(): Promise<void>;
}
