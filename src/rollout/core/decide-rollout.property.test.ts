import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideRollout } from "./decide-rollout.js";
import { createRolloutPolicy } from "./create-rollout-policy.js";
import { rolloutPresetNames } from "./rollout-presets.js";
import type { RolloutPolicy } from "./rollout-policy.js";
import type { ArmStatistics, RolloutState } from "./rollout-state.js";
import { primaryMetricCounts } from "./evaluate-primary-metric.js";
import { policyForTaskKind } from "./rollout-policy.js";

const hour = 3_600_000;
const policy = createRolloutPolicy();
const presets = rolloutPresetNames.map((name) => createRolloutPolicy({ preset: name }));
/** Any preset, in any of its stages before promotion (the state's stage starts at startedAt). */
const presetAndStage = fc
  .constantFrom(...presets)
  .chain((chosen) => fc.tuple(fc.constant(chosen), fc.integer({ min: 0, max: chosen.rampSteps.length - 2 })));
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
          scoredTurns: fc.constant(Math.min(feedbackEvents, units - engineErrors)),
          badTurns: part(Math.min(feedbackEvents, units - engineErrors)),
          labelCounts: fc.constant({
            正面: Math.min(positives, units - engineErrors),
            负面: Math.max(0, units - engineErrors - positives),
          }),
        }),
      ),
  );
}

const hoursInStage = fc.double({ min: 0, max: policy.maximumStageDurationHours - 1e-6, noNaN: true });

function decide(
  chosen: RolloutPolicy,
  stageIndex: number,
  control: ArmStatistics,
  candidate: ArmStatistics,
  hours: number,
) {
  return decideRollout({
    state: { ...state, stageIndex },
    arms: { control, candidate },
    policy: chosen,
    now: startedAt + hours * hour,
  });
}

describe("decideRollout properties (every preset, every stage)", () => {
  it("is deterministic: the same input gives the same decision", () => {
    fc.assert(
      fc.property(
        presetAndStage,
        armStatistics(20_000),
        armStatistics(3_000),
        hoursInStage,
        ([chosen, stage], control, candidate, hours) => {
          const input = {
            state: { ...state, stageIndex: stage },
            arms: { control, candidate },
            policy: chosen,
            now: startedAt + hours * hour,
          };
          expect(decideRollout(input)).toEqual(decideRollout(structuredClone(input)));
        },
      ),
    );
  });

  it("depends on time only through the hours in stage", () => {
    fc.assert(
      fc.property(
        presetAndStage,
        armStatistics(20_000),
        armStatistics(3_000),
        hoursInStage,
        fc.integer({ min: -1e12, max: 1e12 }),
        ([chosen, stage], control, candidate, hours, shift) => {
          const arms = { control, candidate };
          const original = decide(chosen, stage, control, candidate, hours);
          const shifted = decideRollout({
            state: {
              ...state,
              stageIndex: stage,
              startedAt: startedAt + shift,
              stageStartedAt: startedAt + shift,
            },
            arms,
            policy: chosen,
            now: startedAt + shift + hours * hour,
          });
          expect(shifted.action).toBe(original.action);
          expect(shifted.reasonCode).toBe(original.reasonCode);
        },
      ),
    );
  });

  it("never rolls back identical arms before the maximum duration, and moves them on only through a safety stage", () => {
    fc.assert(
      fc.property(presetAndStage, armStatistics(400), hoursInStage, ([chosen, stage], arm, hours) => {
        const decision = decide(chosen, stage, arm, arm, hours);
        // Identical unit counts are a 50/50 split, which a large enough 10% stage rightly flags as a mismatch.
        expect(["continue", "halt", "ramp", "promote"]).toContain(decision.action);
        if (decision.action === "halt") expect(decision.reasonCode).toBe("sample_ratio_mismatch");
        if (decision.action === "ramp" || decision.action === "promote") {
          expect(decision.reasonCode).toBe("guardrails_clean");
          expect(chosen.rampSteps[stage]!.gate).toBe("guardrails");
        }
      }),
    );
  });

  it("never promotes or ramps before the stage's minimum duration", () => {
    fc.assert(
      fc.property(
        presetAndStage,
        armStatistics(20_000),
        armStatistics(3_000),
        fc.double({ min: 0, max: 1, noNaN: true }),
        ([chosen, stage], control, candidate, fraction) => {
          const minimum = chosen.rampSteps[stage]!.minimumDurationHours;
          const decision = decide(chosen, stage, control, candidate, fraction * minimum * (1 - 1e-9));
          expect(["continue", "rollback", "halt"]).toContain(decision.action);
        },
      ),
    );
  });

  it("moves on through a significance stage only when the candidate's observed rate is lower", () => {
    fc.assert(
      fc.property(
        presetAndStage,
        armStatistics(20_000),
        armStatistics(3_000),
        hoursInStage,
        ([chosen, stage], control, candidate, hours) => {
          const decision = decide(chosen, stage, control, candidate, hours);
          if (decision.reasonCode === "candidate_superior") {
            expect(decision.statistics.primary.test.difference).toBeLessThan(0);
          }
        },
      ),
    );
  });

  it("stops for futility only when the observed improvement is smaller than the futility effect", () => {
    fc.assert(
      fc.property(armStatistics(20_000), armStatistics(20_000), hoursInStage, (control, candidate, hours) => {
        const decision = decide(policy, 1, control, candidate, hours);
        if (decision.reasonCode === "candidate_futile") {
          expect(decision.statistics.primary.test.difference).toBeGreaterThan(
            -policy.promotion.futilityEffect,
          );
        }
      }),
    );
  });

  it("always halts a 12/88 split of at least 5,000 units, whatever the metrics say (chi-square and sequential)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...presets),
        armStatistics(1),
        armStatistics(1),
        fc.integer({ min: 5_000, max: 500_000 }),
        hoursInStage,
        (chosen, control, candidate, units, hours) => {
          const candidateUnits = Math.round(units * 0.12);
          const decision = decide(
            chosen,
            0,
            { ...control, assignedUnits: units - candidateUnits },
            { ...candidate, assignedUnits: candidateUnits },
            hours,
          );
          expect(decision.action).toBe("halt");
          expect(decision.reasonCode).toBe("sample_ratio_mismatch");
        },
      ),
    );
  });

  it("never promotes a candidate with a degraded guardrail", () => {
    fc.assert(
      fc.property(
        presetAndStage,
        armStatistics(20_000),
        armStatistics(3_000),
        hoursInStage,
        ([chosen, stage], control, candidate, hours) => {
          const decision = decide(chosen, stage, control, candidate, hours);
          const degraded = decision.statistics.guardrails.some(
            (guardrail) => guardrail.status === "degraded",
          );
          if (degraded) expect(["rollback", "halt"]).toContain(decision.action);
        },
      ),
    );
  });

  it("carries a reason and the statistics behind every decision", () => {
    fc.assert(
      fc.property(
        presetAndStage,
        fc.constantFrom("classifier", "generator"),
        armStatistics(20_000),
        armStatistics(3_000),
        hoursInStage,
        ([chosen, stage], kind, control, candidate, hours) => {
          const judged = policyForTaskKind(chosen, kind);
          const decision = decide(judged, stage, control, candidate, hours);
          expect(decision.reason.length).toBeGreaterThan(20);
          expect(decision.statistics.guardrails).toHaveLength(7);
          const counts = primaryMetricCounts[judged.primaryMetric];
          expect(decision.statistics.primary.trials).toEqual({
            control: counts(control).trials,
            candidate: counts(candidate).trials,
            minimumPerArm: judged.minimumLabelledPerArm,
          });
        },
      ),
    );
  });

  it("decides a snapshot stored before the presets as strict without the quality guardrail", () => {
    const current = createRolloutPolicy({
      preset: "strict",
      guardrails: { badTurnRate: { enabled: false } },
    });
    const { preset: _preset, sampleRatioConcentration: _concentration, ...legacy } = current;
    const stored = {
      ...legacy,
      rampSteps: current.rampSteps.map(({ share, minimumDurationHours }) => ({
        share,
        minimumDurationHours,
      })),
      promotion: {
        mode: "superiority",
        nonInferiorityMargin: 0.02,
        alpha: 0.05,
        mixtureStandardDeviation: 0.05,
      },
      guardrails: { ...current.guardrails, badTurnRate: undefined },
    } as unknown as RolloutPolicy;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1 }),
        armStatistics(20_000),
        armStatistics(3_000),
        hoursInStage,
        (stage, control, candidate, hours) => {
          const fromStore = decide(stored, stage, control, candidate, hours);
          const fromPreset = decide(current, stage, control, candidate, hours);
          expect(fromStore.action).toBe(fromPreset.action);
          expect(fromStore.reason).toBe(fromPreset.reason);
        },
      ),
    );
  });
});
