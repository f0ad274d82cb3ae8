import { describe, expect, it } from "vitest";
import { createAnalysisRun } from "./analyze-feedback.js";
import { buildReplaySets } from "./replay-sets.js";
import { plantedKeywordFixture } from "./test-support/planted-keyword-fixture.js";
import { nextVersionId } from "./report/next-version-id.js";

describe("buildReplaySets", () => {
  const run = createAnalysisRun({ tasks: [{ task: "sentiment", labels: ["正面", "负面"] }] });
  for (const item of plantedKeywordFixture()) run.add(item);
  const task = run.finish().tasks[0]!;

  it("uses only held-out examples, the regression set being those the current version got right", () => {
    const sets = buildReplaySets(task);
    const heldOutIds = new Set(task.examples.heldOut.map((example) => example.interactionId));
    expect(sets.heldOut.length).toBe(task.examples.heldOut.length);
    expect(sets.heldOut.every((item) => heldOutIds.has(item.id))).toBe(true);
    expect(
      sets.regression.every((item) => item.recordedPrediction === item.gold && heldOutIds.has(item.id)),
    ).toBe(true);
    expect(sets.inputs.length).toBe(
      new Set([...sets.heldOut, ...sets.regression].map((item) => item.id)).size,
    );
  });

  it("replays every item of the named regression sets once, uncapped, beside the history", () => {
    const first = task.examples.heldOut[0]!;
    const named = [
      {
        id: "set-1",
        name: "讽刺",
        items: [
          { id: "x1", input: "好个屁", gold: "负面", recordedPrediction: "正面", createdAt: -1 },
          // Already held out: replayed once.
          {
            id: first.interactionId,
            input: first.text,
            gold: first.gold,
            recordedPrediction: first.predicted,
            createdAt: first.createdAt,
          },
        ],
      },
    ];
    const sets = buildReplaySets(task, { maxHeldOut: 10, maxRegression: 5 }, named);
    expect(sets.named).toEqual(named);
    const ids = sets.inputs.map((item) => item.id);
    expect(ids).toContain("x1");
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toBe("x1");
  });

  it("caps the sets, spreading the picks over time", () => {
    const sets = buildReplaySets(task, { maxHeldOut: 10, maxRegression: 5 });
    expect(sets.heldOut).toHaveLength(10);
    expect(sets.regression).toHaveLength(5);
    const times = sets.heldOut.map((item) => item.createdAt);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times.at(-1)! - times[0]!).toBeGreaterThan(
      (task.examples.heldOut.at(-1)!.createdAt - task.examples.heldOut[0]!.createdAt) * 0.8,
    );
  });
});

describe("nextVersionId", () => {
  it.each([
    ["sentiment@v1", [], "sentiment@v2"],
    ["sentiment@v9", ["sentiment@v10"], "sentiment@v11"],
    ["sentiment@beta", [], "sentiment@v2"],
  ])("%s (taken %j) → %s", (current, taken, expected) => {
    expect(nextVersionId(current, taken)).toBe(expected);
  });
});
