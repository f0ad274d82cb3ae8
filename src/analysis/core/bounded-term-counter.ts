import type { RandomSource } from "../../statistics/seeded-random.js";

/** A misclassified input kept as an example; shared by every pattern it contains. */
export interface ErrorExample {
  interactionId: string;
  /** Truncated to the miner's maxExampleChars. */
  text: string;
  predicted: string | null;
  gold: string | null;
  createdAt: number;
}

/** Counts of one term; only the counter mutates them. */
export interface TermStats {
  /** Error documents containing the term. */
  errors: number;
  /** Correct documents containing the term. */
  correct: number;
  /** Error documents per direction code (see the miner), allocated on the first error. */
  directions: Map<number, number> | null;
  /** A reservoir sample of error documents containing the term. */
  examples: ErrorExample[] | null;
  /** Upper bound on documents missed because the term was pruned earlier (lossy counting). */
  undercount: number;
  /** The last document counted, so a term repeated in one document counts once. */
  lastDocument: number;
}

/** Options of a bounded term counter. */
export interface BoundedTermCounterOptions {
  /** Most terms kept at once; memory is bounded by this, whatever the input size. */
  capacity: number;
  /** Examples kept per term. */
  examplesPerTerm: number;
  random: RandomSource;
}

/**
 * Document-frequency counts of terms in error vs correct documents, with bounded memory by lossy counting
 * (Manku & Motwani 2002): when the map outgrows `capacity`, the floor rises and every term seen at most `floor`
 * times (counting its possible undercount) is dropped, until a quarter of the capacity is free again. A term that
 * comes back starts with `undercount = floor`, the most it can have lost, so a reported count is never more than
 * `maxUndercount` below the truth, and frequent terms (the only ones the miner reports) are never dropped.
 */
export class BoundedTermCounter<Term extends string | number = string> {
  readonly terms = new Map<Term, TermStats>();
  private floor = 0;
  private prunes = 0;

  constructor(private readonly options: BoundedTermCounterOptions) {}

  /** Counts `term` once for `documentIndex`; call with increasing indexes. */
  add(term: Term, documentIndex: number, error: ErrorExample | null, direction: number): void {
    let stats = this.terms.get(term);
    if (stats === undefined) {
      stats = {
        errors: 0,
        correct: 0,
        directions: null,
        examples: null,
        undercount: this.floor,
        lastDocument: -1,
      };
      this.terms.set(term, stats);
      if (this.terms.size > this.options.capacity) {
        this.prune();
        // The new term itself may have been pruned; re-add it so this document still counts.
        if (!this.terms.has(term)) this.terms.set(term, stats);
      }
    }
    if (stats.lastDocument === documentIndex) return;
    stats.lastDocument = documentIndex;
    if (error === null) {
      stats.correct += 1;
      return;
    }
    stats.errors += 1;
    stats.directions ??= new Map();
    stats.directions.set(direction, (stats.directions.get(direction) ?? 0) + 1);
    this.sampleExample(stats, error);
  }

  /** The largest possible undercount of any term still counted. */
  get maxUndercount(): number {
    return this.floor;
  }

  get pruneCount(): number {
    return this.prunes;
  }

  private sampleExample(stats: TermStats, example: ErrorExample): void {
    const capacity = this.options.examplesPerTerm;
    if (capacity <= 0) return;
    stats.examples ??= [];
    if (stats.examples.length < capacity) {
      stats.examples.push(example);
      return;
    }
    const slot = Math.floor(this.options.random() * stats.errors);
    if (slot < capacity) stats.examples[slot] = example;
  }

  private prune(): void {
    const target = Math.floor(this.options.capacity * 0.75);
    this.prunes += 1;
    while (this.terms.size > target) {
      this.floor += 1;
      for (const [term, stats] of this.terms) {
        if (stats.errors + stats.correct + stats.undercount <= this.floor) this.terms.delete(term);
      }
    }
  }
}
