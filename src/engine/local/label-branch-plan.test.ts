import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planLabelBranches, rowKey } from "./label-branch-plan.js";

describe("planLabelBranches", () => {
  it("needs no path when every label is one token", () => {
    expect(planLabelBranches([[1], [2], [3]])).toEqual({ paths: [], rows: [] });
  });

  it("decodes labels that share their first tokens once up to where they part", () => {
    // 卡片办理 / 卡片故障 / 卡片到期 / 转账 as [卡, 片, x] and [转, 账].
    const plan = planLabelBranches([
      [1, 2, 3],
      [1, 2, 4],
      [1, 2, 5],
      [6, 7],
    ]);
    expect(plan.paths).toEqual([[1, 2], [6]]);
    expect(plan.rows).toEqual([
      { path: 0, index: 0, targets: [2] },
      { path: 0, index: 1, targets: [3, 4, 5] },
      { path: 1, index: 0, targets: [7] },
    ]);
  });

  it("covers a path that is the start of a longer one", () => {
    const plan = planLabelBranches([
      [1, 2, 9],
      [1, 2, 3, 9],
    ]);
    expect(plan.paths).toEqual([[1, 2, 3]]);
    expect(plan.rows.map((r) => r.targets)).toEqual([[2], [9, 3], [9]]);
  });

  it("gives every later token of every label exactly one row that predicts it", () => {
    const labels = fc.uniqueArray(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }), {
      minLength: 2,
      maxLength: 8,
      selector: (tokens) => rowKey(tokens),
    });
    fc.assert(
      fc.property(labels, (labelTokens) => {
        const { paths, rows } = planLabelBranches(labelTokens);
        const keys = rows.map((r) => rowKey(paths[r.path]!.slice(0, r.index + 1)));
        expect(new Set(keys).size).toBe(keys.length);
        for (const tokens of labelTokens) {
          for (let k = 1; k < tokens.length; k++) {
            const row = rows[keys.indexOf(rowKey(tokens.slice(0, k)))];
            expect(row?.targets).toContain(tokens[k]);
          }
        }
        // No path is the start of another: each is decoded because some row needs it.
        for (const [i, a] of paths.entries()) {
          for (const [j, b] of paths.entries()) {
            if (i !== j)
              expect(rowKey(b.slice(0, a.length)) === rowKey(a) && a.length <= b.length).toBe(false);
          }
        }
      }),
    );
  });
});
