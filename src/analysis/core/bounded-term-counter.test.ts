import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BoundedTermCounter } from "./bounded-term-counter.js";
import { createSeededRandom } from "../../statistics/seeded-random.js";

const example = { interactionId: "x", text: "x", predicted: "正面", gold: "负面", createdAt: 0 };

describe("BoundedTermCounter", () => {
  it("counts each term once per document, split by errors and correct answers", () => {
    const counter = new BoundedTermCounter<string>({
      capacity: 10,
      examplesPerTerm: 2,
      random: createSeededRandom(1),
    });
    counter.add("还行", 0, example, 1);
    counter.add("还行", 0, example, 1);
    counter.add("还行", 1, null, 0);
    counter.add("还行", 2, example, 1);
    const stats = counter.terms.get("还行")!;
    expect([stats.errors, stats.correct]).toEqual([2, 1]);
    expect(stats.directions).toEqual(new Map([[1, 2]]));
    expect(stats.examples).toHaveLength(2);
  });

  it("never holds more than its capacity, never overcounts, and undercounts by at most maxUndercount", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 8 }), { maxLength: 200 }),
        fc.integer({ min: 5, max: 30 }),
        (documents, capacity) => {
          const counter = new BoundedTermCounter<number>({
            capacity,
            examplesPerTerm: 1,
            random: createSeededRandom(3),
          });
          const truth = new Map<number, number>();
          documents.forEach((terms, index) => {
            for (const term of new Set(terms)) truth.set(term, (truth.get(term) ?? 0) + 1);
            for (const term of terms) counter.add(term, index, null, 0);
            expect(counter.terms.size).toBeLessThanOrEqual(capacity);
          });
          for (const [term, stats] of counter.terms) {
            const actual = truth.get(term)!;
            expect(stats.correct).toBeLessThanOrEqual(actual);
            expect(actual - stats.correct).toBeLessThanOrEqual(counter.maxUndercount);
          }
          // Any term seen more often than the floor survives.
          for (const [term, count] of truth)
            if (count > counter.maxUndercount * 2) expect(counter.terms.has(term)).toBe(true);
        },
      ),
    );
  });
});
