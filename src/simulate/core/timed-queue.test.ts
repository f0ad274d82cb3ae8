import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createTimedQueue } from "./timed-queue.js";

describe("createTimedQueue", () => {
  it("takes items in time order, equal times in the order they were added", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (times) => {
        const queue = createTimedQueue<number>();
        times.forEach((at, index) => queue.add(at, index));
        const taken: { at: number; item: number }[] = [];
        for (let next = queue.take(); next; next = queue.take()) taken.push(next);
        const expected = times
          .map((at, item) => ({ at, item }))
          .sort((a, b) => a.at - b.at || a.item - b.item);
        expect(taken).toEqual(expected);
        expect(queue.size).toBe(0);
      }),
    );
  });

  it("reports the earliest time without taking it", () => {
    const queue = createTimedQueue<string>();
    expect(queue.peekTime()).toBeUndefined();
    queue.add(5, "b");
    queue.add(3, "a");
    expect(queue.peekTime()).toBe(3);
    expect(queue.size).toBe(2);
  });
});
