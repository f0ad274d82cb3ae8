import type { RandomSource } from "../../statistics/seeded-random.js";

/** A uniform random sample of at most `capacity` items from a stream of unknown length (Algorithm R). */
export interface ReservoirSample<T> {
  /** Offers one item; it is kept with probability capacity / seen. */
  add(item: T): void;
  /** How many items were offered. */
  readonly seen: number;
  /** The kept items, in the order they were offered. */
  items(): T[];
}

export function createReservoirSample<T>(capacity: number, random: RandomSource): ReservoirSample<T> {
  const kept: { item: T; order: number }[] = [];
  let seen = 0;
  return {
    add(item) {
      seen += 1;
      if (kept.length < capacity) {
        kept.push({ item, order: seen });
        return;
      }
      const slot = Math.floor(random() * seen);
      if (slot < capacity) kept[slot] = { item, order: seen };
    },
    get seen() {
      return seen;
    },
    items() {
      return [...kept].sort((a, b) => a.order - b.order).map((entry) => entry.item);
    },
  };
}
