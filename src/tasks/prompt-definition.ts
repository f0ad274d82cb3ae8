import { createHash } from "node:crypto";

/** Sampling parameters of a generator task (a classifier always decodes greedily under its label grammar). */
export interface GenerationParams {
  temperature?: number;
  topP?: number;
  topK?: number;
  repeatPenalty?: number;
  /** Upper bound on reply tokens; the server also caps it at MAX_REPLY_TOKENS. */
  maxTokens?: number;
}

/** A labelled example shown to a classifier before the input (few-shot). */
export interface FewShotExample {
  input: string;
  label: string;
}

/** Few-shot memory: corrected examples retrieved per request; the parameters are part of the version. */
export interface RetrievalSettings {
  method: "bm25";
  /** How the pool and the query are tokenised; default `icu-zh-words+han-bigrams`. */
  tokenizer?: string;
  /** Hits scoring below this are not shown; default 1. */
  minScore?: number;
  /** How many examples to retrieve per request. */
  k: number;
  k1: number;
  b: number;
  /** Examples longer than this are cut, to bound prompt length. */
  maxExampleChars: number;
  /** The example pool the index is built from. */
  pool: FewShotExample[];
}

/** A name people read, in each language the web app speaks. */
export interface LocalizedName {
  zh: string;
  en: string;
}

/**
 * The feedback a task asks its users for: what the web app shows under its output. Every field is optional and
 * the defaults are the sentiment task's widgets, so files written before tasks could declare them keep them.
 */
export interface TaskFeedbackSettings {
  /** Classifier: 👍/👎 on the label ("was this correct?"). Default true. */
  confirm?: boolean;
  /** Classifier: a correction offering every label. Default true. */
  correct?: boolean;
  /** Classifier: the reason tags offered with a correction (see correctionReasons); default all of them. */
  reasons?: string[];
  /**
   * Classifier: what this task calls its reason tags, in both languages (intent's `mixed` is "several intents", not
   * sentiment's 矛盾情绪). A tag without a name here shows the web app's name for it.
   */
  reasonNames?: Record<string, LocalizedName>;
  /**
   * Classifier run on a chat turn's input: when it gives this label (qa-check's 事实问题), the page asks
   * "答案正确吗?" under the reply, recorded as `answer_correct` feedback on the reply.
   */
  askAnswerCorrectWhen?: string;
  /** Generator: a 1–5 rating of the reply. Default true. */
  rating?: boolean;
  /** Generator: editing the reply in place. Default true. */
  edit?: boolean;
}

/** Everything that defines what a prompt version does. Immutable once stored. */
export interface PromptDefinition {
  task: string;
  version: string;
  kind: "classifier" | "generator";
  systemPrompt: string;
  /** The only outputs a classifier may produce. */
  labels?: string[];
  params?: GenerationParams;
  fewShot?: FewShotExample[];
  retrieval?: RetrievalSettings;
  /**
   * Personal memory for a generator (docs/memory.md): `off` never adds it, so a version pair differing only here
   * A/B-tests whether memory helps; unset or `on` = the user's switch (or MEMORY) decides.
   */
  memory?: "on" | "off";
  /**
   * A LoRA adapter (GGUF) served with this version (docs/lora.md): checked against the served model at create,
   * and its file's SHA-256 is part of the version, so a changed file can't pass as the same version.
   */
  adapter?: PromptAdapter;
  /** Classifier: the labels that flag an input as unsafe (a moderation task's 冒犯); MODERATION_POLICY acts on them. */
  flagLabels?: string[];
  /** The feedback widgets; absent = the defaults of TaskFeedbackSettings. */
  feedback?: TaskFeedbackSettings;
  description?: string;
}

/** A version's LoRA adapter: absolute path, scale, and the file's hex SHA-256 when the version was created. */
export interface PromptAdapter {
  path: string;
  scale: number;
  sha256: string;
}

export function promptVersionId(task: string, version: string): string {
  return `${task}@${version}`;
}

function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalize);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonicalize(v)]),
    );
  }
  return value;
}

/** Canonical JSON: keys sorted, undefined dropped, so equal definitions serialise identically. */
export function canonicalJson(definition: PromptDefinition): string {
  return JSON.stringify(canonicalize(definition));
}

/** The content hash ignores the description: editing prose about a version does not change what it does. */
export function contentHash(definition: PromptDefinition): string {
  const { description: _description, ...behaviour } = definition;
  return createHash("sha256").update(canonicalJson(behaviour)).digest("hex");
}
