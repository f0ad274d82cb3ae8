import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AppError } from "../../errors.js";
import { decideRollout } from "./decide-rollout.js";
import type { RolloutAction, RolloutReasonCode } from "./rollout-decision.js";
import { createRolloutPolicy, type RolloutPolicyOverrides } from "./create-rollout-policy.js";
import type { GuardrailName } from "./rollout-policy.js";
import type { ArmStatistics, RolloutState, StageArms } from "./rollout-state.js";

interface DecisionCase {
  name: string;
  state?: Partial<RolloutState>;
  hoursInStage?: number;
  arms?: { control?: Partial<ArmStatistics>; candidate?: Partial<ArmStatistics> };
  policy?: RolloutPolicyOverrides;
  expected: {
    action: RolloutAction;
    reasonCode: RolloutReasonCode;
    nextStage?: { index: number; candidateShare: number };
    degradedGuardrails?: GuardrailName[];
    reasonIncludes?: string;
  };
}

interface CaseFile {
  basePolicy: RolloutPolicyOverrides;
  base: { state: RolloutState; hoursInStage: number; arms: StageArms };
  cases: DecisionCase[];
}

const file = JSON.parse(
  readFileSync(new URL("./decide-rollout.cases.json", import.meta.url), "utf8"),
) as CaseFile;

/** Builds decideRollout's input for one case from the shared base. */
export function inputFor(testCase: DecisionCase) {
  const state = { ...file.base.state, ...testCase.state };
  const arms: StageArms = {
    control: { ...file.base.arms.control, ...testCase.arms?.control },
    candidate: { ...file.base.arms.candidate, ...testCase.arms?.candidate },
  };
  const now = state.stageStartedAt + (testCase.hoursInStage ?? file.base.hoursInStage) * 3_600_000;
  return { state, arms, policy: createRolloutPolicy({ ...file.basePolicy, ...testCase.policy }), now };
}

describe("decideRollout cases", () => {
  it.each(file.cases.map((testCase) => [testCase.name, testCase] as const))("%s", (_name, testCase) => {
    const decision = decideRollout(inputFor(testCase));
    const { expected } = testCase;
    expect(decision.action).toBe(expected.action);
    expect(decision.reasonCode).toBe(expected.reasonCode);
    expect(decision.nextStage).toEqual(expected.nextStage ?? null);
    expect(decision.degradedGuardrails).toEqual(expected.degradedGuardrails ?? []);
    if (expected.reasonIncludes) expect(decision.reason).toContain(expected.reasonIncludes);
    const statuses = decision.statistics.guardrails.filter((g) => g.status === "degraded").map((g) => g.name);
    if (expected.action === "rollback" && expected.reasonCode === "guardrail_degraded") {
      expect(statuses).toEqual(expected.degradedGuardrails);
    }
  });
});

describe("decideRollout input checks", () => {
  const healthy = inputFor({
    name: "healthy",
    expected: { action: "continue", reasonCode: "no_significant_difference_yet" },
  });

  it("refuses a finished experiment", () => {
    expect(() => decideRollout({ ...healthy, state: { ...healthy.state, status: "promoted" } })).toThrow(
      expect.objectContaining({ code: "ROLLOUT_CONFLICT" }),
    );
  });

  it.each([
    [
      "errors above labelled",
      { candidate: { ...healthy.arms.candidate, errors: 301 } },
      "candidate.errors exceeds",
    ],
    ["a negative count", { control: { ...healthy.arms.control, exits: -1 } }, "control.exits must be"],
    [
      "a fractional count",
      { control: { ...healthy.arms.control, requests: 1.5 } },
      "control.requests must be",
    ],
  ])("refuses %s", (_name, arms, message) => {
    const call = () => decideRollout({ ...healthy, arms: { ...healthy.arms, ...arms } });
    expect(call).toThrow(AppError);
    expect(call).toThrow(message);
  });

  it("refuses a clock behind the stage start and a stage that is already 100%", () => {
    expect(() => decideRollout({ ...healthy, now: healthy.state.stageStartedAt - 1 })).toThrow(
      "now is before",
    );
    expect(() => decideRollout({ ...healthy, state: { ...healthy.state, stageIndex: 2 } })).toThrow(
      "share 1",
    );
  });

  it("returns every statistic it used, whatever the action", () => {
    const { statistics } = decideRollout(healthy);
    expect(statistics.stage).toMatchObject({
      index: 0,
      candidateShare: 0.1,
      hoursInStage: 80,
      minimumDurationHours: 72,
    });
    expect(statistics.sampleRatio).toMatchObject({
      observed: { control: 9000, candidate: 1000 },
      mismatch: false,
    });
    expect(statistics.guardrails.map((g) => g.name)).toEqual([
      "errorRate",
      "exitRate",
      "negativeFeedbackRate",
      "engineErrorRate",
      "slowRequestRate",
      "labelShift",
      "badTurnRate",
    ]);
    // Seven guardrails share the alpha; the quality guardrail waits for scored turns (none in this sentiment case).
    expect(statistics.guardrails.every((g) => g.alpha === 0.05 / 7)).toBe(true);
    expect(statistics.guardrails.filter((g) => g.status !== "ok").map((g) => [g.name, g.status])).toEqual([
      ["badTurnRate", "insufficient_data"],
    ]);
    expect(statistics.primary.controlRate.estimate).toBeCloseTo(0.15, 12);
    expect(statistics.primary.test.difference).toBeCloseTo(0, 12);
  });
});
