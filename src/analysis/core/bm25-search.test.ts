import { describe, expect, it } from "vitest";
import { createBm25Index, createZhTokenizer } from "./bm25-search.js";
import { createWordSegmenter } from "./segment-text.js";

const bySpaces = (text: string) => text.split(" ").filter(Boolean);

describe("createBm25Index (MiniSearch)", () => {
  it("matches hand-computed scores", () => {
    const index = createBm25Index(["a b", "a c c", "d"], (text) => text, bySpaces);
    // MiniSearch counts a document's length in distinct terms: |"a b"| = |"a c c"| = 2, |"d"| = 1, avgdl = 5/3.
    // "c": N = 3, df = 1 → idf = ln(1 + 2.5/1.5) = 0.980829; doc "a c c": tf = 2
    // → 0.980829 × 2 × 2.2 / (2 + 1.2 × (0.25 + 0.75 × 2 / (5/3))) = 1.276819
    const [hit] = index.retrieve("c", 5);
    expect(hit!.document).toBe("a c c");
    expect(hit!.score).toBeCloseTo(1.276819, 5);
    // "a": df = 2 → idf = ln(1 + 1.5/2.5) = 0.470004; tf = 1 and length 2 in both documents:
    // 0.470004 × 2.2 / (1 + 1.2 × (0.25 + 0.75 × 1.2)) = 0.434457 each, a tie that keeps index order.
    expect(index.retrieve("a", 5).map((h) => [h.document, Number(h.score.toFixed(6))])).toEqual([
      ["a b", 0.434457],
      ["a c c", 0.434457],
    ]);
    // Two query terms add up (1.276819 + 0.434457), not times the number matched, and a repeated one counts once.
    expect(index.retrieve("c a c", 5).map((h) => [h.document, Number(h.score.toFixed(6))])).toEqual([
      ["a c c", 1.711276],
      ["a b", 0.434457],
    ]);
  });

  it("weighs a term less in a document with more distinct terms", () => {
    const index = createBm25Index(["a b", "a c d e", "f"], (text) => text, bySpaces);
    expect(index.retrieve("a", 5).map((h) => h.document)).toEqual(["a b", "a c d e"]);
  });

  it("ranks the most similar Chinese review first and skips unrelated ones", () => {
    const reviews = [
      "房间很干净，服务热情",
      "隔音太差了，晚上很吵",
      "早餐丰富，位置方便",
      "味道还行，就是送得慢",
    ];
    const index = createBm25Index(reviews, (text) => text, createZhTokenizer(createWordSegmenter()));
    expect(index.retrieve("房间隔音差，吵得睡不着", 2)[0]!.document).toBe("隔音太差了，晚上很吵");
    expect(index.retrieve("菜还行吧", 4).map((hit) => hit.document)).toEqual(["味道还行，就是送得慢"]);
  });

  it("returns at most k hits, with deterministic ties", () => {
    const index = createBm25Index(["x", "x", "x"], (text) => text, bySpaces);
    expect(index.retrieve("x", 2).map((hit) => hit.score)).toHaveLength(2);
    expect(index.retrieve("x", 0)).toEqual([]);
    expect(createBm25Index([], (t: string) => t, bySpaces).retrieve("x", 3)).toEqual([]);
  });
});
