import { describe, expect, it } from "vitest";
import { createRolloutFixture, type RolloutFixture } from "./rollout-test-fixture.js";

const operator = { actor: "cli:test", reason: "by hand", manual: true };

/** Serves sentiment@v1 outside any experiment: `perHour` answers an hour for `hours`, every one labelled, the first of every 5 wrong. */
async function history(fixture: RolloutFixture, hours: number, perHour: number) {
  let served = 0;
  for (let hour = 0; hour < hours; hour++) {
    for (let index = 0; index < perHour; index++) {
      const wrong = served++ % 5 === 0;
      await fixture.record({
        experimentId: null,
        arm: null,
        versionId: "sentiment@v1",
        feedback: [
          wrong
            ? { type: "label_correct", payload: { label: "负面" } }
            : { type: "label_confirm", payload: { correct: true } },
        ],
      });
    }
    fixture.advanceHours(1);
  }
}

async function startCanary(fixture: RolloutFixture) {
  const started = await fixture.service.startCanary("sentiment@v2", operator);
  if (!started.started) throw new Error(started.reason);
  const [start] = await fixture.rollouts.listDecisions(started.experiment.id);
  return { experiment: started.experiment, start: start! };
}

describe("startCanary fits balanced to the task's measured traffic", () => {
  it("at 2 labelled answers an hour: a 35% safety stage, 72 per arm to decide, τ 0.125 — recorded and said", async () => {
    const fixture = await createRolloutFixture();
    await history(fixture, 48, 2);
    const { experiment, start } = await startCanary(fixture);
    expect(experiment.share).toBe(0.35);
    expect(experiment.rampShares).toEqual([0.35, 0.5, 1]);
    expect(experiment.policy).toMatchObject({
      minimumLabelledPerArm: 72,
      promotion: { mixtureStandardDeviation: 0.125 },
      adaptedTo: { primaryTrialsPerHour: 2, primaryEventRate: 0.208 },
    });
    expect(start.reason).toContain(
      "fitted to the measured 2 labelled answers an hour: safety stage at 35%, decision minimum 72 labelled per arm",
    );
    // The router serves the snapshot's share.
    const assigned = await Promise.all(
      Array.from({ length: 400 }, (_, index) => fixture.router.route("sentiment", `unit-${index}`)),
    );
    const candidates = assigned.filter((route) => route.version.id === "sentiment@v2").length;
    expect(candidates / 400).toBeGreaterThan(0.28);
    expect(candidates / 400).toBeLessThan(0.42);
  });

  it("keeps the preset's numbers at 20 labelled answers an hour, and without a day of history", async () => {
    const busy = await createRolloutFixture();
    await history(busy, 30, 20);
    const { experiment } = await startCanary(busy);
    expect(experiment.share).toBe(0.1);
    expect(experiment.policy.minimumLabelledPerArm).toBe(300);
    expect(experiment.policy.adaptedTo).toBeUndefined();

    const fresh = await createRolloutFixture();
    await history(fresh, 20, 1);
    expect((await startCanary(fresh)).experiment.share).toBe(0.1);
  });

  it("keeps them when ROLLOUT_POLICY turns the fit off", async () => {
    const fixture = await createRolloutFixture({ policy: { trafficAdaptation: { enabled: false } } });
    await history(fixture, 48, 2);
    const { experiment } = await startCanary(fixture);
    expect([experiment.share, experiment.policy.minimumLabelledPerArm]).toEqual([0.1, 300]);
  });
});
