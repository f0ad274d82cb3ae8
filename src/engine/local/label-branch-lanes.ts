import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { LlamaContext, LlamaContextSequence, LlamaModel } from "node-llama-cpp";
import { SequenceSamplers } from "./sequence-samplers.js";

/** A sequence that holds a copy of a request's prompt, so that one label path can be decoded after it. */
export interface BranchLane {
  sequence: LlamaContextSequence;
  samplers: SequenceSamplers;
}

/** Lanes lent to one request; `release` hands them back. */
export interface ForkedLanes {
  lanes: BranchLane[];
  release(): void;
}

/** Copies a request's evaluated prompt into spare sequences, so that all its label paths decode in one batch. */
export interface BranchForker {
  /**
   * Up to `count` lanes holding exactly what `source` holds; none when every lane is lent out or the prompt plus
   * `extraTokens` does not fit a lane (the caller then decodes the paths one after another in `source`).
   */
  fork(source: LlamaContextSequence, count: number, extraTokens: number): Promise<ForkedLanes>;
}

/** Counters for benchmarks and tests. */
export interface LabelLaneStats {
  lanes: number;
  /** Prompts copied into lanes. */
  forks: number;
  /** Lanes lent, summed over forks. */
  lanesLent: number;
  /** Forks that got no lane (all lent out, or the prompt too long) and decoded their paths one after another. */
  refused: number;
}

const noLanes: ForkedLanes = { lanes: [], release: () => {} };

async function snapshotDir(): Promise<string> {
  const shm = await fs.stat("/dev/shm").catch(() => undefined);
  return fs.mkdtemp(path.join(shm?.isDirectory() ? "/dev/shm" : os.tmpdir(), "promptloop-lanes-"));
}

/**
 * Spare sequences in a context of their own, each as long as a classifier prompt may be, so that the serving pool
 * keeps its sequences and memory. There are as many as the serving context has sequences: llama.cpp keeps one KV
 * stream per sequence and loads a sequence's state only into a context with the same number of streams. A fork saves the request's sequence state to a memory-backed
 * file and loads it into each lane: about 3 ms per lane for a 170-token prompt on the 0.5B model, where decoding one
 * label path after another costs a whole weight read (about 25 ms) per path.
 */
export class LabelBranchLanes implements BranchForker {
  readonly #context: LlamaContext;
  readonly #dir: string;
  readonly #all: BranchLane[];
  readonly #free: BranchLane[];
  #files = 0;
  readonly #stats: LabelLaneStats;

  private constructor(context: LlamaContext, model: LlamaModel, dir: string) {
    this.#context = context;
    this.#dir = dir;
    this.#all = Array.from({ length: context.totalSequences }, () => {
      const samplers = new SequenceSamplers(model);
      samplers.createAll();
      return { sequence: context.getSequence(), samplers };
    });
    this.#free = [...this.#all];
    this.#stats = { lanes: this.#all.length, forks: 0, lanesLent: 0, refused: 0 };
  }

  /** `createContext` makes the lanes' context: the serving context's settings, shorter sequences. */
  static async create(
    model: LlamaModel,
    createContext: () => Promise<LlamaContext>,
  ): Promise<LabelBranchLanes> {
    const context = await createContext();
    return new LabelBranchLanes(context, model, await snapshotDir());
  }

  get stats(): LabelLaneStats {
    return { ...this.#stats };
  }

  async fork(source: LlamaContextSequence, count: number, extraTokens: number): Promise<ForkedLanes> {
    const take = Math.min(count, this.#free.length);
    if (take === 0 || source.nextTokenIndex + extraTokens > this.#context.contextSize) {
      this.#stats.refused++;
      return noLanes;
    }
    const lanes = this.#free.splice(0, take);
    const release = () => this.#free.push(...lanes);
    const file = path.join(this.#dir, `${++this.#files}.kv`);
    try {
      await source.saveStateToFile(file);
      await Promise.all(lanes.map((lane) => lane.sequence.loadStateFromFile(file, { acceptRisk: true })));
      this.#stats.forks++;
      this.#stats.lanesLent += lanes.length;
      return { lanes, release };
    } catch {
      // A full tmpfs only costs speed: the paths are then decoded one after another in the source sequence.
      await Promise.all(lanes.map((lane) => lane.sequence.clearHistory()));
      release();
      this.#stats.refused++;
      return noLanes;
    } finally {
      await fs.rm(file, { force: true });
    }
  }

  async dispose(): Promise<void> {
    for (const lane of this.#all) lane.samplers.dispose();
    await this.#context.dispose();
    await fs.rm(this.#dir, { recursive: true, force: true });
  }
}
