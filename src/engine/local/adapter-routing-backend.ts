import { AppError, isAppError } from "../../errors.js";
import type {
  AdapterSelection,
  ChatTurn,
  ClassifyRequest,
  ClassifyResult,
  GenerateRequest,
  GenerateStreamPart,
  ModelInfo,
} from "../llm-backend.js";
import type { LabelLaneStats } from "./label-branch-lanes.js";
import { fileSha256 } from "./lora-adapter-file.js";
import type { LocalLlmBackend } from "./node-llama-cpp-backend.js";
import type { PrefixStateCacheStats } from "./prefix-state-cache.js";
import type { ThreadGovernorStats } from "./thread-governor.js";

/** One adapter's own engine: a context of the shared model with the LoRA applied. */
export type AdapterEngineFactory = (adapter: AdapterSelection) => Promise<LocalLlmBackend>;

/**
 * Serves requests without an adapter on the base context and each LoRA adapter (path, scale, SHA-256) on a
 * context of its own over the same loaded model, created on first use. At most `maxAdapters` adapter contexts
 * exist; a request for one more is refused (ADAPTER_LIMIT_REACHED) rather than evicting a context a running
 * version still serves. Before an adapter's context is made, the file's SHA-256 must still be the one its version
 * recorded (ADAPTER_MISMATCH otherwise), so a changed file never serves under an old version's name.
 */
export class AdapterRoutingBackend implements LocalLlmBackend {
  readonly #base: LocalLlmBackend;
  readonly #create: AdapterEngineFactory;
  readonly #maxAdapters: number;
  readonly #engines = new Map<string, Promise<LocalLlmBackend>>();

  constructor(base: LocalLlmBackend, create: AdapterEngineFactory, maxAdapters: number) {
    this.#base = base;
    this.#create = create;
    this.#maxAdapters = maxAdapters;
  }

  get info(): ModelInfo {
    return this.#base.info;
  }

  get prefixCacheStats(): PrefixStateCacheStats | undefined {
    return this.#base.prefixCacheStats;
  }

  get threadStats(): ThreadGovernorStats | undefined {
    return this.#base.threadStats;
  }

  get labelLaneStats(): LabelLaneStats | undefined {
    return this.#base.labelLaneStats;
  }

  /** Adapter contexts currently loaded (for the bench and status). */
  get adapterContexts(): number {
    return this.#engines.size;
  }

  countTokens(text: string): number {
    return this.#base.countTokens(text);
  }

  // Without an adapter the base engine is called directly, in the same tick: no extra await reorders requests.
  classify(request: ClassifyRequest): Promise<ClassifyResult> {
    if (!request.adapter) return this.#base.classify(request);
    return this.#engineFor(request.adapter).then((engine) => engine.classify(request));
  }

  generate(request: GenerateRequest): AsyncIterable<GenerateStreamPart> {
    if (!request.adapter) return this.#base.generate(request);
    return this.#generateAdapted(request);
  }

  async *#generateAdapted(request: GenerateRequest): AsyncGenerator<GenerateStreamPart> {
    yield* (await this.#engineFor(request.adapter)).generate(request);
  }

  warmUp(prefixes: ChatTurn[][]): Promise<void> {
    return this.#base.warmUp(prefixes);
  }

  async dispose(): Promise<void> {
    const engines = [...this.#engines.values()];
    this.#engines.clear();
    for (const engine of engines) await engine.then((e) => e.dispose()).catch(() => {});
    await this.#base.dispose();
  }

  #engineFor(adapter: AdapterSelection | undefined): Promise<LocalLlmBackend> {
    if (!adapter) return Promise.resolve(this.#base);
    const key = `${adapter.sha256}:${adapter.scale}`;
    const existing = this.#engines.get(key);
    if (existing) return existing;
    if (this.#engines.size >= this.#maxAdapters) {
      return Promise.reject(
        new AppError(
          "ADAPTER_LIMIT_REACHED",
          `${this.#engines.size} LoRA adapter contexts are loaded, the most MAX_ADAPTERS allows: ` +
            `${adapter.path} can't be served until the service restarts with a higher MAX_ADAPTERS`,
        ),
      );
    }
    const created = this.#load(adapter);
    this.#engines.set(key, created);
    created.catch(() => this.#engines.delete(key));
    return created;
  }

  async #load(adapter: AdapterSelection): Promise<LocalLlmBackend> {
    const sha256 = await fileSha256(adapter.path).catch((error: unknown) => {
      throw new AppError("ADAPTER_NOT_FOUND", `Adapter file ${adapter.path} can't be read`, { cause: error });
    });
    if (sha256 !== adapter.sha256) {
      throw new AppError(
        "ADAPTER_MISMATCH",
        `Adapter file ${adapter.path} changed since its version was created (SHA-256 ${sha256.slice(0, 12)}…, ` +
          `the version recorded ${adapter.sha256.slice(0, 12)}…): create a new version for the new file`,
      );
    }
    try {
      return await this.#create(adapter);
    } catch (error) {
      if (isAppError(error)) throw error;
      throw new AppError(
        "ADAPTER_MISMATCH",
        `llama.cpp refused the adapter ${adapter.path}: ${String(error)}`,
        {
          cause: error,
        },
      );
    }
  }
}
