import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { LlamaContextSequence, Token } from "node-llama-cpp";

/** Options for {@link PrefixStateCache.create}. */
export interface PrefixStateCacheOptions {
  /**
   * Where snapshot files go. Defaults to /dev/shm when it exists (memory-backed, so saving and loading never touch
   * a disk), else the OS temp folder. A fresh subfolder is made and removed on dispose.
   */
  dir?: string;
  /** Snapshots kept, least recently used evicted first; each costs about 96 KiB per token on the 0.5B model. */
  maxEntries?: number;
  /** Shorter prefixes are cheaper to evaluate than to load, so they are not cached. */
  minTokens?: number;
}

/** Counters for status pages and benchmarks. */
export interface PrefixStateCacheStats {
  /** Prefixes that were already in the sequence itself. */
  inSequence: number;
  /** Prefixes loaded from a snapshot instead of being evaluated. */
  restored: number;
  /** Prefixes evaluated and saved as a new snapshot. */
  created: number;
  entries: number;
  bytes: number;
}

/** How a request's prompt got into its sequence. */
export interface PreparedPrompt {
  /** Tokens still to evaluate: never empty, because the last one must produce logits. */
  pending: Token[];
  /** Leading tokens that came from the sequence or a snapshot rather than being evaluated for this request. */
  reusedTokens: number;
  /** Where the reused start came from: the sequence itself, a loaded snapshot, or a prefix just evaluated. */
  source: "sequence" | "snapshot" | "evaluated";
}

interface Snapshot {
  file: string;
  bytes: number;
}

const maxRememberedKeys = 4096;

function prefixKey(tokens: readonly Token[], length: number): string {
  return createHash("sha256")
    .update(Uint32Array.from(tokens.slice(0, length)))
    .digest("hex");
}

function commonPrefixLength(a: readonly Token[], b: readonly Token[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

const folderPrefix = "promptloop-kv-";

/** Snapshot folders of processes that died without disposing (a crash, a kill -9) would fill tmpfs over time. */
async function removeOrphans(parent: string): Promise<void> {
  const names = await fs.readdir(parent).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(/^promptloop-kv-(\d+)-/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    await fs.rm(path.join(parent, name), { recursive: true, force: true }).catch(() => {});
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function defaultDir(): Promise<string> {
  const shm = "/dev/shm";
  const stat = await fs.stat(shm).catch(() => undefined);
  return stat?.isDirectory() ? shm : os.tmpdir();
}

/**
 * Keeps the evaluated KV state of prompt prefixes (a task version's system prompt and few-shot turns) as snapshot
 * files, so that any sequence of the pool can start from a warm prefix: loading a snapshot takes milliseconds where
 * evaluating a 100-token prefix takes hundreds. Snapshots are keyed by the prefix's tokens, so a new prompt version
 * gets its own entry without any invalidation step, and versions in an A/B test each keep theirs.
 */
export class PrefixStateCache {
  readonly #dir: string;
  readonly #maxEntries: number;
  readonly #minTokens: number;
  /** Insertion order is recency order: a hit re-inserts its key. */
  readonly #snapshots = new Map<string, Snapshot>();
  readonly #creating = new Map<string, Promise<Snapshot | undefined>>();
  /** How often each prefix was asked for, to admit longer prefixes only once they repeat. Bounded, oldest out. */
  readonly #seen = new Map<string, number>();
  readonly #counts = { inSequence: 0, restored: 0, created: 0 };
  #fileCounter = 0;

  private constructor(dir: string, maxEntries: number, minTokens: number) {
    this.#dir = dir;
    this.#maxEntries = maxEntries;
    this.#minTokens = minTokens;
  }

  static async create(options: PrefixStateCacheOptions = {}): Promise<PrefixStateCache> {
    const parent = options.dir ?? (await defaultDir());
    await removeOrphans(parent);
    const dir = await fs.mkdtemp(path.join(parent, `${folderPrefix}${process.pid}-`));
    return new PrefixStateCache(dir, options.maxEntries ?? 16, options.minTokens ?? 16);
  }

  get stats(): PrefixStateCacheStats {
    let bytes = 0;
    for (const snapshot of this.#snapshots.values()) bytes += snapshot.bytes;
    return { ...this.#counts, entries: this.#snapshots.size, bytes };
  }

  /**
   * Makes `sequence` hold the longest reusable start of `tokens` and returns the tokens left to evaluate.
   * `stableLengths` are candidate prefix lengths that no user input changes (e.g. system prompt plus few-shot
   * turns, and the system prompt alone). The sequence's own matching tokens win when they reach as far; else the
   * longest existing snapshot is loaded. A missing snapshot is made for the shortest candidate at once, and for a
   * longer one when its prefix is seen a second time: few-shot turns retrieved per input never repeat, so they
   * never fill the cache.
   */
  async prepare(
    sequence: LlamaContextSequence,
    tokens: Token[],
    stableLengths: number[],
  ): Promise<PreparedPrompt> {
    if (tokens.length === 0) throw new Error("An empty prompt cannot be evaluated");
    const shared = Math.min(commonPrefixLength(sequence.contextTokens, tokens), tokens.length - 1);
    const candidates = [...new Set(stableLengths.map((length) => Math.min(length, tokens.length - 1)))]
      .filter((length) => length >= this.#minTokens)
      .sort((a, b) => b - a)
      .map((length) => ({ length, key: prefixKey(tokens, length) }));
    const shortest = candidates.at(-1);
    for (const candidate of candidates) this.#noteSeen(candidate.key);
    if (candidates.length > 0 && shared >= candidates[0]!.length) this.#counts.inSequence++;
    let position = shared;
    let source: PreparedPrompt["source"] = "sequence";
    for (const { length, key } of candidates) {
      if (length <= position) break;
      const snapshot = this.#snapshots.get(key) ?? (await this.#creating.get(key));
      if (!snapshot) continue;
      if (await this.#restore(sequence, key, snapshot)) {
        position = length;
        source = "snapshot";
        break;
      }
      position = 0;
    }
    if (source === "sequence") await eraseFrom(sequence, position);
    const reusedTokens = position;
    const toSave = candidates.find(
      ({ length, key }) =>
        length > position &&
        !this.#snapshots.has(key) &&
        !this.#creating.has(key) &&
        (key === shortest?.key || (this.#seen.get(key) ?? 0) >= 2),
    );
    if (toSave) {
      await sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(position, toSave.length));
      position = toSave.length;
      source = "evaluated";
      const creating = this.#save(sequence, toSave.key).finally(() => this.#creating.delete(toSave.key));
      this.#creating.set(toSave.key, creating);
      await creating;
    }
    return { pending: tokens.slice(position), reusedTokens, source };
  }

  async dispose(): Promise<void> {
    await Promise.allSettled(this.#creating.values());
    this.#snapshots.clear();
    await fs.rm(this.#dir, { recursive: true, force: true });
  }

  #noteSeen(key: string): void {
    const count = (this.#seen.get(key) ?? 0) + 1;
    this.#seen.delete(key);
    this.#seen.set(key, count);
    if (this.#seen.size > maxRememberedKeys) this.#seen.delete(this.#seen.keys().next().value!);
  }

  async #restore(sequence: LlamaContextSequence, key: string, snapshot: Snapshot): Promise<boolean> {
    try {
      await sequence.loadStateFromFile(snapshot.file, { acceptRisk: true });
    } catch {
      // The file vanished (tmp cleaners) or does not fit: forget it and evaluate instead. A failed load may have
      // left the sequence half-written, so it starts empty.
      this.#snapshots.delete(key);
      await sequence.clearHistory();
      return false;
    }
    this.#snapshots.delete(key);
    this.#snapshots.set(key, snapshot);
    this.#counts.restored++;
    return true;
  }

  async #save(sequence: LlamaContextSequence, key: string): Promise<Snapshot | undefined> {
    const file = path.join(this.#dir, `${++this.#fileCounter}.kv`);
    try {
      const { fileSize } = await sequence.saveStateToFile(file);
      const snapshot = { file, bytes: fileSize };
      this.#snapshots.set(key, snapshot);
      this.#counts.created++;
      await this.#evict();
      return snapshot;
    } catch {
      // A cache that cannot write (full tmpfs) only costs speed.
      await fs.rm(file, { force: true });
      return undefined;
    }
  }

  async #evict(): Promise<void> {
    while (this.#snapshots.size > this.#maxEntries) {
      const [oldestKey, oldest] = this.#snapshots.entries().next().value!;
      this.#snapshots.delete(oldestKey);
      await fs.rm(oldest.file, { force: true });
    }
  }
}

async function eraseFrom(sequence: LlamaContextSequence, index: number): Promise<void> {
  if (index < sequence.nextTokenIndex) {
    await sequence.eraseContextTokenRanges([{ start: index, end: sequence.nextTokenIndex }]);
  }
}
