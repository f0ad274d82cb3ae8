import { describe, expect, it } from "vitest";
import { armSummaries, type ArmSummary } from "./decision-arms.js";

describe("armSummaries", () => {
  it.each<[string, unknown, ArmSummary[]]>([
    [
      "both arms",
      { arms: { control: { labelled: 40, errors: 8 }, candidate: { labelled: 25, errors: 2 } } },
      [
        { arm: "control", labelled: 40, errors: 8, errorRate: 0.2 },
        { arm: "candidate", labelled: 25, errors: 2, errorRate: 0.08 },
      ],
    ],
    [
      "nothing labelled yet",
      { arms: { control: { labelled: 0, errors: 0 } } },
      [{ arm: "control", labelled: 0, errors: 0, errorRate: null }],
    ],
    ["a start (null)", null, []],
    ["no arms", { primary: {} }, []],
    ["arms not an object", { arms: [1, 2] }, []],
    ["counts missing", { arms: { control: { requests: 3 } } }, []],
    ["counts not integers", { arms: { control: { labelled: "4", errors: 1.5 } } }, []],
    ["more errors than labelled", { arms: { candidate: { labelled: 2, errors: 3 } } }, []],
    ["negative counts", { arms: { candidate: { labelled: -1, errors: 0 } } }, []],
  ])("%s", (_, statistics, expected) => {
    expect(armSummaries(statistics)).toEqual(expected);
  });
});
