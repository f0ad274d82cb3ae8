import { describe, expect, it } from "vitest";
import { createBm25Index, createZhTokenizer } from "./bm25-index.js";
import { createWordSegmenter } from "./segment-text.js";

const bySpaces = (text: string) => text.split(" ").filter(Boolean);

describe("createBm25Index", () => {
  it("matches hand-computed scores", () => {
    const index = createBm25Index(["a b", "a c c", "d"], (text) => text, bySpaces);
    // "c": N = 3, df = 1 → idf = ln(1 + 2.5/1.5) = 0.980829; doc "a c c": tf = 2, |d| = 3, avgdl = 2
    // → 0.980829 × 2 × 2.2 / (2 + 1.2 × (0.25 + 0.75 × 1.5)) = 1.182369
    const [hit] = index.retrieve("c", 5);
    expect(hit!.document).toBe("a c c");
    expect(hit!.score).toBeCloseTo(1.182369, 5);
    // "a": df = 2 → idf = ln(1 + 1.5/2.5) = 0.470004; tf = 1 in both, the shorter document wins:
    // "a b": 0.470004 × 2.2 / (1 + 1.2 × (0.25 + 0.75 × 1)) = 0.470004; "a c c": 0.470004 × 2.2 / 2.65 = 0.390192
    expect(index.retrieve("a", 5).map((h) => [h.document, Number(h.score.toFixed(6))])).toEqual([
      ["a b", 0.470004],
      ["a c c", 0.390192],
    ]);
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
