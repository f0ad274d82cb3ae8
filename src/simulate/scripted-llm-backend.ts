import { FakeLlmBackend } from "../engine/fake-llm-backend.js";
import type {
  ChatTurn,
  ClassifyRequest,
  ClassifyResult,
  GenerateRequest,
  GenerateStreamPart,
  LlmBackend,
  ModelInfo,
} from "../engine/llm-backend.js";
import { redactPersonalData } from "../feedback/redact-personal-data.js";
import { scriptedAnswer } from "./core/blind-spot-answer.js";

/**
 * The gold labels, by input text: the side channel through which the simulation tells the scripted model the
 * right answer without putting it in the prompt. Keyed by the text as sent and as stored (personal data masked),
 * because the analysis replays stored inputs. The first item of a text wins.
 */
export type GoldLabelIndex = ReadonlyMap<string, string>;

export function createGoldLabelIndex(items: Iterable<{ text: string; gold: string }>): GoldLabelIndex {
  const index = new Map<string, string>();
  for (const { text, gold } of items) {
    if (!index.has(text)) index.set(text, gold);
    const stored = redactPersonalData(text);
    if (!index.has(stored)) index.set(stored, gold);
  }
  return index;
}

export interface ScriptedLlmBackendOptions {
  /** Words the model gets wrong until the serving prompt mentions them (`--blind-spot`). */
  blindSpots: readonly string[];
  gold: GoldLabelIndex;
}

/**
 * A scripted stand-in for the model, for runs without real weights and for CI: classifies by `scriptedAnswer`
 * (the gold label, except on unmentioned blind-spot words) and replies with fixed text. It keeps the LlmBackend
 * contract (scripted-llm-backend.test.ts runs the shared suite) and says in its name that it is scripted. A
 * large context (one token per character), so that long reviews are not refused for a model that doesn't exist.
 */
export class ScriptedLlmBackend implements LlmBackend {
  readonly info: ModelInfo;
  readonly blindSpots: readonly string[];
  readonly #inner: FakeLlmBackend;

  constructor(options: ScriptedLlmBackendOptions) {
    this.blindSpots = [...options.blindSpots];
    const name = `scripted model (blind spots: ${this.blindSpots.join(", ") || "none"})`;
    this.#inner = new FakeLlmBackend({
      classify: (request) =>
        scriptedAnswer({ ...request, gold: options.gold.get(request.input) }, this.blindSpots),
      reply: () => "（脚本模型的固定回复）",
      info: { name, contextSize: 32_768 },
      recordCalls: false,
    });
    const { local: _local, ...info } = this.#inner.info;
    this.info = info;
  }

  classify(request: ClassifyRequest): Promise<ClassifyResult> {
    return this.#inner.classify(request);
  }

  generate(request: GenerateRequest): AsyncIterable<GenerateStreamPart> {
    return this.#inner.generate(request);
  }

  warmUp(prefixes: ChatTurn[][]): Promise<void> {
    return this.#inner.warmUp(prefixes);
  }

  countTokens(text: string): number {
    return this.#inner.countTokens(text);
  }

  dispose(): Promise<void> {
    return this.#inner.dispose();
  }
}
