/**
 * Things due at simulated times, taken out in time order; equal times come out in the order they were added.
 * A binary heap: the simulation holds a day's requests and feedback (tens of thousands) at once.
 */
export interface TimedQueue<T> {
  add(at: number, item: T): void;
  /** The earliest item, removed; undefined when empty. */
  take(): { at: number; item: T } | undefined;
  /** When the earliest item is due; undefined when empty. */
  peekTime(): number | undefined;
  readonly size: number;
}

interface Entry<T> {
  at: number;
  order: number;
  item: T;
}

export function createTimedQueue<T>(): TimedQueue<T> {
  const heap: Entry<T>[] = [];
  let added = 0;
  const before = (a: Entry<T>, b: Entry<T>) => a.at < b.at || (a.at === b.at && a.order < b.order);
  const swap = (i: number, j: number) => {
    [heap[i], heap[j]] = [heap[j]!, heap[i]!];
  };
  return {
    add(at, item) {
      heap.push({ at, order: added++, item });
      for (let i = heap.length - 1; i > 0;) {
        const parent = (i - 1) >> 1;
        if (!before(heap[i]!, heap[parent]!)) break;
        swap(i, parent);
        i = parent;
      }
    },
    take() {
      const top = heap[0];
      if (!top) return undefined;
      const last = heap.pop()!;
      if (heap.length > 0) {
        heap[0] = last;
        for (let i = 0; ;) {
          const left = 2 * i + 1;
          const right = left + 1;
          let smallest = i;
          if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
          if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
          if (smallest === i) break;
          swap(i, smallest);
          i = smallest;
        }
      }
      return { at: top.at, item: top.item };
    },
    peekTime: () => heap[0]?.at,
    get size() {
      return heap.length;
    },
  };
}
