import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { unifiedDiff } from "./unified-diff.js";

const labels = { fromLabel: "old", toLabel: "new" };

describe("unifiedDiff", () => {
  it("gives nothing for equal texts", () => {
    expect(unifiedDiff("a\nb", "a\nb", labels)).toBe("");
  });

  // Expected outputs are GNU diff 3's `diff -u --label old --label new` on the same two files.
  it.each([
    [
      "two hunks, 3 lines of context, last lines without a line break",
      "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk",
      "a\nB\nc\nd\ne\nf\ng\nh\ni\nk\nl",
      "--- old\n+++ new\n@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n d\n e\n@@ -7,5 +7,5 @@\n g\n h\n i\n-j\n-k\n\\ No newline at end of file\n+k\n+l\n\\ No newline at end of file\n",
    ],
    [
      "the same with line breaks at the end",
      "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n",
      "a\nB\nc\nd\ne\nf\ng\nh\ni\nk\nl\n",
      "--- old\n+++ new\n@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n d\n e\n@@ -7,5 +7,5 @@\n g\n h\n i\n-j\n k\n+l\n",
    ],
    [
      "a last line without a break differs from the same line with one",
      "x\ny\nz",
      "y",
      "--- old\n+++ new\n@@ -1,3 +1 @@\n-x\n-y\n-z\n\\ No newline at end of file\n+y\n\\ No newline at end of file\n",
    ],
    ["from nothing", "", "x\ny", "--- old\n+++ new\n@@ -0,0 +1,2 @@\n+x\n+y\n\\ No newline at end of file\n"],
    ["to nothing", "x", "", "--- old\n+++ new\n@@ -1 +0,0 @@\n-x\n\\ No newline at end of file\n"],
    [
      "only the final line break",
      "a\n",
      "a",
      "--- old\n+++ new\n@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file\n",
    ],
    [
      "a Chinese system prompt",
      "你是一个冷酷的情感分析师。\n输出只能是正面或负面。",
      "你是一个严谨的情感分析师。\n注意转折词。\n输出只能是正面或负面。",
      "--- old\n+++ new\n@@ -1,2 +1,3 @@\n-你是一个冷酷的情感分析师。\n+你是一个严谨的情感分析师。\n+注意转折词。\n 输出只能是正面或负面。\n\\ No newline at end of file\n",
    ],
  ])("%s", (_name, before, after, expected) => {
    expect(unifiedDiff(before, after, labels)).toBe(expected);
  });

  it("merges changes whose contexts touch into one hunk", () => {
    const diff = unifiedDiff("1\n2\n3\n4\n5\n6\n7\n8\n", "1\nX\n3\n4\n5\n6\nY\n8\n", {
      ...labels,
      context: 2,
    });
    expect(diff.match(/^@@/gm)).toHaveLength(1);
    expect(diff).toContain("@@ -1,8 +1,8 @@");
  });
});

describe("unifiedDiff as an edit script", () => {
  const lines = fc.array(fc.constantFrom("a", "b", "c", "正面", ""), { maxLength: 12 });
  /** Every line with its line break, so [] and [""] are different texts. */
  const text = (textLines: readonly string[]) => textLines.map((line) => `${line}\n`).join("");
  /** The body of the one hunk a context wider than both texts gives: ` ` kept, `-` removed, `+` added. */
  const script = (before: string[], after: string[]) =>
    unifiedDiff(text(before), text(after), { ...labels, context: 100 })
      .split("\n")
      .slice(3, -1)
      .map((line) => ({ op: line[0], text: line.slice(1) }));

  it("is a script that turns the old lines into the new ones", () => {
    fc.assert(
      fc.property(lines, lines, (before, after) => {
        fc.pre(text(before) !== text(after));
        const steps = script(before, after);
        expect(steps.filter((l) => l.op !== "+").map((l) => l.text)).toEqual(before);
        expect(steps.filter((l) => l.op !== "-").map((l) => l.text)).toEqual(after);
      }),
    );
  });

  it("keeps a longest common subsequence (checked by brute force on short inputs)", () => {
    const short = fc.array(fc.constantFrom("a", "b", "c"), { maxLength: 7 });
    fc.assert(
      fc.property(short, short, (before, after) => {
        fc.pre(text(before) !== text(after));
        const kept = script(before, after).filter((l) => l.op === " ").length;
        expect(kept).toBe(longestCommonSubsequenceByBruteForce(before, after));
      }),
    );
  });

  it("shows texts too different to diff cheaply as replaced, in one hunk", () => {
    const before = Array.from({ length: 2000 }, (_, i) => `old ${i}`).join("\n");
    const after = Array.from({ length: 2000 }, (_, i) => `new ${i}`).join("\n");
    const diff = unifiedDiff(before, after, labels).split("\n");
    expect(diff[2]).toBe("@@ -1,2000 +1,2000 @@");
    expect(diff.filter((line) => line.startsWith("@@"))).toHaveLength(1);
    expect(diff.slice(3, 5)).toEqual(["-old 0", "-old 1"]);
    expect(diff.slice(2003, 2006)).toEqual(["\\ No newline at end of file", "+new 0", "+new 1"]);
  });
});

/** Tries every subsequence of `a` (at most 2⁷ here) and keeps the longest that is also one of `b`. */
function longestCommonSubsequenceByBruteForce(a: string[], b: string[]): number {
  let best = 0;
  for (let mask = 0; mask < 1 << a.length; mask++) {
    const picked = a.filter((_, i) => mask & (1 << i));
    let j = 0;
    for (const line of b) if (j < picked.length && picked[j] === line) j++;
    if (j === picked.length) best = Math.max(best, picked.length);
  }
  return best;
}
