import { describe, expect, it } from "vitest";
import { readDecisionStatistics } from "./decision-statistics.js";

const statistics = {
  stage: {},
  sampleRatio: { pValue: 0.42, observed: { control: 90, candidate: 10 } },
  guardrails: [
    {
      name: "errorRate",
      status: "ok",
      alpha: 0.01,
      trials: { control: 80, candidate: 9 },
      test: { pValue: 0.8 },
    },
    {
      name: "labelShift",
      status: "insufficient_data",
      alpha: 0.01,
      trials: { control: 0, candidate: 0 },
      test: null,
    },
  ],
  primary: {
    metric: "error_rate",
    controlRate: { estimate: 0.3, lower: 0.2, upper: 0.4 },
    candidateRate: { estimate: 0.1, lower: 0.02, upper: 0.4 },
    trials: { control: 80, candidate: 9, minimumPerArm: 50 },
    test: { difference: -0.2, pValue: 0.3, confidenceSequence: { lower: -1, upper: 0.05 } },
  },
};

describe("readDecisionStatistics", () => {
  it("reads the primary metric, its always-valid interval, the guardrails and the sample-ratio check", () => {
    expect(readDecisionStatistics(statistics)).toEqual({
      primary: {
        metric: "error_rate",
        trials: { control: 80, candidate: 9 },
        rates: {
          control: { estimate: 0.3, lower: 0.2, upper: 0.4 },
          candidate: { estimate: 0.1, lower: 0.02, upper: 0.4 },
        },
        difference: -0.2,
        pValue: 0.3,
        sequence: { lower: -1, upper: 0.05 },
      },
      guardrails: [
        { name: "errorRate", status: "ok", trials: { control: 80, candidate: 9 }, pValue: 0.8 },
        {
          name: "labelShift",
          status: "insufficient_data",
          trials: { control: 0, candidate: 0 },
          pValue: null,
        },
      ],
      sampleRatio: { pValue: 0.42, observed: { control: 90, candidate: 10 } },
    });
  });

  it("gives null for a start (no statistics) or a malformed one rather than wrong numbers", () => {
    expect(readDecisionStatistics(null)).toBeNull();
    expect(readDecisionStatistics({ primary: { test: {} }, sampleRatio: {} })).toBeNull();
  });
});
