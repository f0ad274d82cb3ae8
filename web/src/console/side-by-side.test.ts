import { describe, expect, it } from "vitest";
import { sideBySideRows } from "./side-by-side.js";

describe("sideBySideRows", () => {
  it("pairs unchanged, replaced, removed and added lines", () => {
    const rows = sideBySideRows("a\nb\nc\nd\n", "a\nB\nc\ne\nf\n");
    expect(rows).toEqual([
      { left: "a", right: "a", kind: "same" },
      { left: "b", right: "B", kind: "changed" },
      { left: "c", right: "c", kind: "same" },
      { left: "d", right: "e", kind: "changed" },
      { left: null, right: "f", kind: "added" },
    ]);
  });

  it("shows a pure removal against an empty cell", () => {
    expect(sideBySideRows("x\ny", "x")).toEqual([
      { left: "x", right: "x", kind: "same" },
      { left: "y", right: null, kind: "removed" },
    ]);
  });
});
