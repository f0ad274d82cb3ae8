import { AppError } from "../../errors.js";
import { planLabelScoring, type LabelScoringPlan } from "../local/label-scoring-plan.js";
import type {
  AdapterSelection,
  ChatTurn,
  ClassifyRequest,
  ClassifyResult,
  GenerateRequest,
  GenerateStreamPart,
  LlmBackend,
  ModelInfo,
} from "../llm-backend.js";
import { chooseLabelByGeneration, scoreLabelsByTextLogprobs } from "./chat-label-scorer.js";
import { streamChatReply } from "./chat-stream.js";
import { streamCompletionReply } from "./completion-stream.js";
import { badResponse } from "./engine-http-error.js";
import { estimateTokens } from "./estimate-tokens.js";
import { LlamaServerApi } from "./llama-server-api.js";
import { OpenAiChatApi } from "./openai-chat-api.js";
import type { ClassifyMode, OpenAiCompatibleBackendOptions } from "./remote-backend-options.js";
import { ResilientHttp, type CircuitStatus } from "./resilient-http.js";
import { serverEndpoints, type ServerEndpoints } from "./server-endpoints.js";
import { scoreLabelsByTokenLogprobs, type ScoredLabels } from "./token-logprob-scorer.js";

/** What `/api/health` shows about a remote backend. */
export interface RemoteBackendStatus {
  kind: "openai-compatible";
  server: string;
  /** `llama-server` when its own endpoints answer; otherwise any OpenAI-compatible server. Unknown until reached. */
  dialect: "llama-server" | "openai" | "unknown";
  model: string | undefined;
  classifyMode: ClassifyMode | "unknown";
  circuit: CircuitStatus;
  lastFailure: string | undefined;
}

export interface OpenAiCompatibleLlmBackend extends LlmBackend {
  status(): RemoteBackendStatus;
}

interface Connection {
  dialect: "llama-server" | "openai";
  model: string;
  contextSize: number | undefined;
  slots: number | undefined;
  /** llama-server's name for the model's end of turn. */
  endOfTurn: string | undefined;
}

const warmUpInput = "你好";
// The probe at start-up must not hold the service back for long when the server is still starting.
const probeTimeoutMs = 5000;

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError("CLIENT_CLOSED", "The request was cancelled");
}

/** Whether an AppError came from the server answering with this HTTP status range. */
function serverStatusIn(error: unknown, min: number, max: number): boolean {
  const status = error instanceof AppError ? error.details?.serverStatus : undefined;
  return typeof status === "number" && status >= min && status <= max;
}

/**
 * The model behind an OpenAI-compatible server (llama-server, vLLM, Ollama) as an LlmBackend. Nothing is assumed
 * until the server answers: the first call finds out which server it is, which model to name, and how labels can
 * be scored. A server that is down does not stop the service from starting; calls fail with ENGINE_UNAVAILABLE
 * until it is back.
 */
class OpenAiCompatibleBackend implements OpenAiCompatibleLlmBackend {
  readonly #options: OpenAiCompatibleBackendOptions;
  readonly #endpoints: ServerEndpoints;
  readonly #http: ResilientHttp;
  readonly #llama: LlamaServerApi;
  readonly #chat: OpenAiChatApi;
  readonly #labelPlans = new Map<string, Promise<LabelScoringPlan<number>>>();
  #connection: Promise<Connection> | undefined;
  #connected: Connection | undefined;
  #connectedAt = 0;
  #mode: ClassifyMode | undefined;

  constructor(options: OpenAiCompatibleBackendOptions) {
    this.#options = options;
    this.#endpoints = serverEndpoints(options.baseUrl);
    this.#http = new ResilientHttp(this.#endpoints.display, {
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      apiKey: options.apiKey,
      timeoutMs: options.timeoutMs ?? 30_000,
      retries: options.retries ?? 2,
      circuitFailures: options.circuitFailures ?? 5,
      circuitHalfOpenAfterMs: options.circuitHalfOpenAfterMs ?? 5000,
    });
    this.#llama = new LlamaServerApi(this.#http, this.#endpoints.root);
    this.#chat = new OpenAiChatApi(this.#http, this.#endpoints.openAi);
  }

  get info(): ModelInfo {
    const connected = this.#connected;
    return {
      backend: "remote",
      name: `${connected?.model ?? this.#options.model ?? "(model not known yet)"} at ${this.#endpoints.display}`,
      contextSize: connected?.contextSize ?? this.#options.contextSize ?? 4096,
      sequences: connected?.slots ?? 1,
      loadedAt: this.#connectedAt,
    };
  }

  status(): RemoteBackendStatus {
    return {
      kind: "openai-compatible",
      server: this.#endpoints.display,
      dialect: this.#connected?.dialect ?? "unknown",
      model: this.#connected?.model ?? this.#options.model,
      classifyMode: this.#mode ?? "unknown",
      circuit: this.#http.circuit,
      lastFailure: this.#http.lastFailure,
    };
  }

  countTokens(text: string): number {
    return estimateTokens(text);
  }

  async classify(request: ClassifyRequest): Promise<ClassifyResult> {
    throwIfAborted(request.signal);
    refuseAdapter(request.adapter);
    const connection = await this.connect(request.signal);
    const messages: ChatTurn[] = [...request.prefix, { role: "user", content: request.input }];
    const onGarbage = (what: string) => badResponse(this.#endpoints.display, what);
    let scored: ScoredLabels | undefined;
    if (this.#mode === "token-logprobs") {
      const [prompt, plan] = await Promise.all([
        this.#llama.applyTemplate(messages, request.signal),
        this.#labelPlan(request.labels, request.signal),
      ]);
      scored = await scoreLabelsByTokenLogprobs(this.#llama, prompt, plan, request.signal, onGarbage);
    } else {
      const scoring = { api: this.#chat, model: connection.model, messages, labels: request.labels };
      if (this.#mode === "text-logprobs") {
        scored = await scoreLabelsByTextLogprobs({ ...scoring, signal: request.signal, onGarbage });
        // The server answered without log-probabilities: from now on, generation is all it can do.
        if (!scored && this.#options.classifyMode === undefined) this.#mode = "generated";
      }
      scored ??= await chooseLabelByGeneration({ ...scoring, signal: request.signal, onGarbage });
    }
    const { choice } = scored;
    return {
      label: request.labels[choice.index]!,
      // Rounding can leave a probability at 0 or a hair above 1; the contract is (0, 1].
      confidence: Math.min(1, Math.max(Number.MIN_VALUE, choice.probabilities[choice.index]!)),
      probabilities: Object.fromEntries(request.labels.map((label, i) => [label, choice.probabilities[i]!])),
      promptTokens: scored.promptTokens,
      evaluatedTokens: scored.evaluatedTokens,
    };
  }

  async *generate(request: GenerateRequest): AsyncGenerator<GenerateStreamPart> {
    throwIfAborted(request.signal);
    refuseAdapter(request.adapter);
    const connection = await this.connect(request.signal);
    const server = this.#endpoints.display;
    const idleTimeoutMs = this.#options.streamIdleTimeoutMs ?? 30_000;
    if (connection.dialect === "llama-server") {
      const prompt = await this.#llama.applyTemplate(request.messages, request.signal);
      yield* streamCompletionReply({ api: this.#llama, server, idleTimeoutMs }, prompt, request);
    } else {
      yield* streamChatReply({ api: this.#chat, model: connection.model, server, idleTimeoutMs }, request);
    }
  }

  /** Puts each prefix in a llama-server slot's prompt cache (`n_predict: 0`); best effort, never throws. */
  async warmUp(prefixes: ChatTurn[][]): Promise<void> {
    try {
      await this.connect();
      if (this.#connected?.dialect !== "llama-server") return;
      for (const prefix of prefixes) {
        const prompt = await this.#llama.applyTemplate([...prefix, { role: "user", content: warmUpInput }]);
        await this.#llama.completion({ prompt, n_predict: 0, grammar: "", n_probs: 0 });
      }
    } catch {
      // The server may still be starting; the status page shows the failure and requests will retry.
    }
  }

  async dispose(): Promise<void> {}

  /** Finds out what the server is, once; a failed attempt is forgotten so that the next call tries again. */
  connect(signal?: AbortSignal): Promise<Connection> {
    this.#connection ??= this.#probe(signal).then(
      (connection) => {
        this.#connected = connection;
        this.#connectedAt = Date.now();
        this.#mode ??=
          this.#options.classifyMode ??
          (connection.dialect === "llama-server" ? "token-logprobs" : "text-logprobs");
        return connection;
      },
      (error: unknown) => {
        this.#connection = undefined;
        throw error;
      },
    );
    return this.#connection;
  }

  async #probe(signal: AbortSignal | undefined): Promise<Connection> {
    let props;
    try {
      props = await this.#llama.props(signal, probeTimeoutMs);
    } catch (error) {
      // Any answer at all (404, another shape) means a server that isn't llama-server; no answer is a failure.
      if (!(serverStatusIn(error, 400, 499) || (error as AppError).code === "ENGINE_BAD_RESPONSE"))
        throw error;
    }
    // llama-server serves whatever name it is sent; other servers are asked which models they have.
    // (Only to learn the context size when the model is named: a server without the list still works.)
    const listed = props
      ? []
      : await this.#chat.listModels(signal, probeTimeoutMs).catch((error: unknown) => {
          if (this.#options.model && serverStatusIn(error, 400, 499)) return [];
          throw error;
        });
    const named = this.#options.model ?? (props ? (props.model_alias ?? "default") : listed[0]?.id);
    if (named === undefined) throw badResponse(this.#endpoints.display, "lists no models at /v1/models");
    return {
      dialect: props ? "llama-server" : "openai",
      model: named,
      contextSize:
        props?.default_generation_settings.n_ctx ?? listed.find((m) => m.id === named)?.max_model_len,
      slots: props?.total_slots,
      endOfTurn: props?.eos_token,
    };
  }

  #labelPlan(labels: string[], signal: AbortSignal | undefined): Promise<LabelScoringPlan<number>> {
    const key = JSON.stringify(labels);
    let plan = this.#labelPlans.get(key);
    if (!plan) {
      plan = this.#planLabels(labels, signal);
      this.#labelPlans.set(key, plan);
      plan.catch(() => this.#labelPlans.delete(key));
    }
    return plan;
  }

  async #planLabels(labels: string[], signal: AbortSignal | undefined): Promise<LabelScoringPlan<number>> {
    const tokenized = await Promise.all(labels.map((label) => this.#llama.tokenize(label, false, signal)));
    // Only needed when one label's tokens start another's.
    const eos = this.#connected?.endOfTurn;
    const endOfTurn = eos ? await this.#llama.tokenize(eos, true, signal) : [];
    try {
      return planLabelScoring(labels, tokenized, endOfTurn.length === 1 ? endOfTurn[0]! : null);
    } catch (error) {
      throw new AppError("VALIDATION_FAILED", (error as Error).message, { cause: error });
    }
  }
}

/**
 * The remote backend selected by LLM_BASE_URL. It reaches for the server once (briefly) so that the first request
 * is ready; if the server is not up yet, that is no error here.
 */
export async function createOpenAiCompatibleBackend(
  options: OpenAiCompatibleBackendOptions,
): Promise<OpenAiCompatibleLlmBackend> {
  const backend = new OpenAiCompatibleBackend(options);
  await backend.connect().catch(() => undefined);
  return backend;
}

/** The remote backend's status for `/api/health`, or undefined for any other backend. */
export function remoteStatusOf(backend: LlmBackend): RemoteBackendStatus | undefined {
  return backend instanceof OpenAiCompatibleBackend ? backend.status() : undefined;
}

/** A remote server serves its own weights: a version with a LoRA adapter can't be served through it. */
function refuseAdapter(adapter: AdapterSelection | undefined): void {
  if (adapter) {
    throw new AppError(
      "ADAPTER_UNSUPPORTED",
      `This version needs the LoRA adapter ${adapter.path}, which only the local engine can load (LLM_BASE_URL is set)`,
    );
  }
}
