import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import { createRolloutRouter } from "./rollout-router.js";
import { createRolloutFixture, type RolloutFixture } from "./rollout-test-fixture.js";

let fixture: RolloutFixture;
beforeEach(async () => {
  fixture = await createRolloutFixture();
});

async function startCanary() {
  const started = await fixture.service.startCanary("sentiment@v2", { actor: "test", reason: "test" });
  if (!started.started) throw new Error("not started");
  return started.experiment.id;
}

describe("createRolloutRouter", () => {
  it("serves the active version outside experiments, and refuses a task without one", async () => {
    expect(await fixture.router.route("sentiment", "unit-1")).toMatchObject({
      version: { id: "sentiment@v1" },
      experimentId: null,
      arm: null,
    });
    await expect(fixture.router.route("intent", "unit-1")).rejects.toMatchObject({ code: "TASK_NOT_FOUND" });
  });

  it("keeps every unit on one arm, serving that arm's version and recording the experiment", async () => {
    const experimentId = await startCanary();
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40 }), async (unit) => {
        const first = await fixture.router.route("sentiment", unit);
        const again = await fixture.router.route("sentiment", unit);
        expect(again.arm).toBe(first.arm);
        expect(first.experimentId).toBe(experimentId);
        expect(first.version.id).toBe(first.arm === "candidate" ? "sentiment@v2" : "sentiment@v1");
      }),
      { numRuns: 200 },
    );
  });

  it("gives the candidate about its share of units, and a ramp only adds units to it", async () => {
    await startCanary();
    const units = Array.from({ length: 2000 }, (_, i) => `unit-${i}`);
    const before = await Promise.all(units.map((unit) => fixture.router.route("sentiment", unit)));
    const share = before.filter((r) => r.arm === "candidate").length / units.length;
    expect(share).toBeGreaterThan(0.08);
    expect(share).toBeLessThan(0.12);
    const [experiment] = await fixture.rollouts.listExperiments();
    await fixture.rollouts.recordDecision({
      decision: {
        experimentId: experiment!.experimentId,
        action: "ramp",
        reasonCode: "candidate_superior",
        reason: "test",
        statistics: null,
        stageIndex: 0,
        actor: "test",
        decidedAt: fixture.now(),
      },
      expected: experiment!,
      change: { stageIndex: 1, stageStartedAt: fixture.now() },
      moves: [],
    });
    const after = await Promise.all(units.map((unit) => fixture.router.route("sentiment", unit)));
    expect(before.every((r, i) => r.arm === "control" || after[i]!.arm === "candidate")).toBe(true);
    const ramped = after.filter((r) => r.arm === "candidate").length / units.length;
    expect(ramped).toBeGreaterThan(0.46);
    expect(ramped).toBeLessThan(0.54);
  });

  it("spreads requests without a session by the share, each drawn afresh", async () => {
    await startCanary();
    let draws = 0;
    const router = createRolloutRouter({
      prompts: fixture.prompts,
      rollouts: fixture.rollouts,
      randomUnit: () => `draw-${++draws}`,
    });
    const routed = [];
    for (let i = 0; i < 2000; i++) routed.push(await router.route("sentiment", null));
    expect(draws).toBe(2000);
    const share = routed.filter((r) => r.arm === "candidate").length / routed.length;
    expect(share).toBeGreaterThan(0.08);
    expect(share).toBeLessThan(0.12);
  });

  it("serves control only while the experiment is halted, or when the labels no longer match it", async () => {
    await startCanary();
    const units = Array.from({ length: 200 }, (_, i) => `unit-${i}`);
    const [experiment] = await fixture.rollouts.listExperiments();
    await fixture.rollouts.recordDecision({
      decision: {
        experimentId: experiment!.experimentId,
        action: "halt",
        reasonCode: "sample_ratio_mismatch",
        reason: "test",
        statistics: null,
        stageIndex: 0,
        actor: "test",
        decidedAt: fixture.now(),
      },
      expected: experiment!,
      change: { status: "halted" },
      moves: [],
    });
    for (const unit of units) {
      expect(await fixture.router.route("sentiment", unit)).toMatchObject({
        version: { id: "sentiment@v1" },
        experimentId: null,
        arm: null,
      });
    }
  });

  it("ignores a running experiment whose canary label was moved away", async () => {
    await startCanary();
    await fixture.prompts.moveLabels([{ task: "sentiment", label: "canary", toVersionId: "sentiment@v3" }], {
      actor: "someone",
      reason: "by hand",
      now: fixture.now(),
    });
    const routed = await Promise.all(
      Array.from({ length: 100 }, (_, i) => fixture.router.route("sentiment", `unit-${i}`)),
    );
    expect(routed.every((r) => r.version.id === "sentiment@v1" && r.arm === null)).toBe(true);
  });
});
