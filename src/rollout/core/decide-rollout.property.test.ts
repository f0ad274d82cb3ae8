import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideRollout } from "./decide-rollout.js";
import { createRolloutPolicy } from "./rollout-policy.js";
import type { ArmStatistics, RolloutState } from "./rollout-state.js";

const hour = 3_600_000;
const policy = createRolloutPolicy();
const startedAt = 1_767_225_600_000;
const state: RolloutState = {
  experimentId: "exp-1",
  task: "sentiment",
  controlVersionId: "sentiment@v1",
  candidateVersionId: "sentiment@v2",
  stageIndex: 0,
  startedAt,
  stageStartedAt: startedAt,
  status: "running",
};

/** Consistent counts for one arm: every part no larger than its whole. */
function armStatistics(maximumUnits: number): fc.Arbitrary<ArmStatistics> {
  const part = (whole: number) => fc.integer({ min: 0, max: whole });
  return fc.integer({ min: 0, max: maximumUnits }).chain((units) =>
    fc
      .tuple(part(units), part(units), part(units), part(units), part(units))
      .chain(([engineErrors, labelled, exposures, feedbackEvents, positives]) =>
        fc.record({
          assignedUnits: fc.constant(units),
          requests: fc.constant(units),
          engineErrors: fc.constant(engineErrors),
          slowRequests: part(units - engineErrors),
          labelled: fc.constant(labelled),
          errors: part(labelled),
          exposures: fc.constant(exposures),
          exits: part(exposures),
          feedbackEvents: fc.constant(feedbackEvents),
          negativeFeedback: part(feedbackEvents),
          labelCounts: fc.constant({
            正面: Math.min(positives, units - engineErrors),
            负面: Math.max(0, units - engineErrors - positives),
          }),
        }),
      ),
  );
}

const hoursInStage = fc.double({ min: 0, max: policy.maximumStageDurationHours - 1e-6, noNaN: true });

describe("decideRollout properties", () => {
  it("is deterministic: the same input gives the same decision", () => {
    fc.assert(
      fc.property(armStatistics(20_000), armStatistics(3_000), hoursInStage, (control, candidate, hours) => {
        const input = { state, arms: { control, candidate }, policy, now: startedAt + hours * hour };
        expect(decideRollout(input)).toEqual(decideRollout(structuredClone(input)));
      }),
    );
  });

  it("depends on time only through the hours in stage", () => {
    fc.assert(
      fc.property(
        armStatistics(20_000),
        armStatistics(3_000),
        hoursInStage,
        fc.integer({ min: -1e12, max: 1e12 }),
        (control, candidate, hours, shift) => {
          const arms = { control, candidate };
          const original = decideRollout({ state, arms, policy, now: startedAt + hours * hour });
          const shifted = decideRollout({
            state: { ...state, startedAt: startedAt + shift, stageStartedAt: startedAt + shift },
            arms,
            policy,
            now: startedAt + shift + hours * hour,
          });
          expect(shifted.action).toBe(original.action);
          expect(shifted.reasonCode).toBe(original.reasonCode);
        },
      ),
    );
  });

  it("never rolls back, ramps or promotes when both arms are identical (before the maximum duration)", () => {
    fc.assert(
      fc.property(armStatistics(400), hoursInStage, (arm, hours) => {
        const decision = decideRollout({
          state,
          arms: { control: arm, candidate: arm },
          policy,
          now: startedAt + hours * hour,
        });
        // Identical unit counts are a 50/50 split, which a large enough 10% stage rightly flags as a mismatch.
        expect(["continue", "halt"]).toContain(decision.action);
        if (decision.action === "halt") expect(decision.reasonCode).toBe("sample_ratio_mismatch");
      }),
    );
  });

  it("never promotes or ramps before the stage's minimum duration", () => {
    fc.assert(
      fc.property(
        armStatistics(20_000),
        armStatistics(3_000),
        fc.double({ min: 0, max: 72 - 1e-6, noNaN: true }),
        (control, candidate, hours) => {
          const decision = decideRollout({
            state,
            arms: { control, candidate },
            policy,
            now: startedAt + hours * hour,
          });
          expect(["continue", "rollback", "halt"]).toContain(decision.action);
        },
      ),
    );
  });

  it("always halts a 12/88 split of at least 5,000 units, whatever the metrics say", () => {
    fc.assert(
      fc.property(
        armStatistics(1),
        armStatistics(1),
        fc.integer({ min: 5_000, max: 500_000 }),
        hoursInStage,
        (control, candidate, units, hours) => {
          const candidateUnits = Math.round(units * 0.12);
          const arms = {
            control: { ...control, assignedUnits: units - candidateUnits },
            candidate: { ...candidate, assignedUnits: candidateUnits },
          };
          const decision = decideRollout({ state, arms, policy, now: startedAt + hours * hour });
          expect(decision.action).toBe("halt");
          expect(decision.reasonCode).toBe("sample_ratio_mismatch");
        },
      ),
    );
  });

  it("never promotes a candidate with a degraded guardrail", () => {
    fc.assert(
      fc.property(armStatistics(20_000), armStatistics(3_000), hoursInStage, (control, candidate, hours) => {
        const decision = decideRollout({
          state,
          arms: { control, candidate },
          policy,
          now: startedAt + hours * hour,
        });
        const degraded = decision.statistics.guardrails.some((guardrail) => guardrail.status === "degraded");
        if (degraded) expect(["rollback", "halt"]).toContain(decision.action);
      }),
    );
  });

  it("carries a reason and the statistics behind every decision", () => {
    fc.assert(
      fc.property(armStatistics(20_000), armStatistics(3_000), hoursInStage, (control, candidate, hours) => {
        const decision = decideRollout({
          state,
          arms: { control, candidate },
          policy,
          now: startedAt + hours * hour,
        });
        expect(decision.reason.length).toBeGreaterThan(20);
        expect(decision.statistics.guardrails).toHaveLength(6);
        expect(decision.statistics.primary.labelled).toEqual({
          control: control.labelled,
          candidate: candidate.labelled,
          minimumPerArm: policy.minimumLabelledPerArm,
        });
      }),
    );
  });
});
