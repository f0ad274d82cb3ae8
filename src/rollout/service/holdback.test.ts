import { describe, expect, it } from "vitest";
import { createRolloutFixture, type RolloutFixture } from "./rollout-test-fixture.js";

const operator = { actor: "cli:test", reason: "by hand" };

/** Serves `units` chat units through the router now; a unit on `version` exits with probability `exitShare(version)`. */
async function serveThroughRouter(
  fixture: RolloutFixture,
  units: number,
  exitShare: (version: string) => number,
) {
  const served: Record<string, number> = {};
  for (let i = 0; i < units; i++) {
    const unit = `unit-${i}`;
    const routed = await fixture.router.route("chat", unit);
    served[routed.version.id] = (served[routed.version.id] ?? 0) + 1;
    // Every 100th unit of a version exits with the given share: deterministic counts.
    const exits = (served[routed.version.id]! % 100) / 100 < exitShare(routed.version.id);
    await fixture.record({
      experimentId: routed.experimentId!,
      arm: routed.arm!,
      task: "chat",
      versionId: routed.version.id,
      sessionHash: unit,
      feedback: exits ? [{ type: "exit" }] : [{ type: "copy" }],
    });
  }
  return served;
}

async function promoteChatV2(fixture: RolloutFixture) {
  const started = await fixture.service.startCanary("chat@v2", { ...operator, manual: true });
  if (!started.started) throw new Error(started.reason);
  await fixture.service.promote("chat@v2", { ...operator, force: true });
  return started.experiment.id;
}

const activeChat = async (fixture: RolloutFixture) =>
  (await fixture.prompts.listLabels("chat")).find((label) => label.label === "active")?.versionId;

describe("the holdback after a promotion", () => {
  it("keeps 5% of units (sticky) on the replaced version and shows it on the experiment", async () => {
    const fixture = await createRolloutFixture();
    const experimentId = await promoteChatV2(fixture);
    const served = await serveThroughRouter(fixture, 2000, () => 0.1);
    expect(served["chat@v1"]! / 2000).toBeGreaterThan(0.03);
    expect(served["chat@v1"]! / 2000).toBeLessThan(0.07);
    const again = await fixture.router.route("chat", "unit-7");
    expect((await fixture.router.route("chat", "unit-7")).version.id).toBe(again.version.id);
    const view = await fixture.service.getExperiment(experimentId);
    expect(view).toMatchObject({
      status: "promoted",
      share: 0.95,
      holdback: {
        share: 0.05,
        version: "chat@v1",
        until: new Date(fixture.now() + 7 * 24 * 3_600_000).toISOString(),
      },
    });
    fixture.advanceHours(1);
    const report = await fixture.service.evaluateNow();
    expect(report.holdbacks).toEqual([
      expect.objectContaining({ experimentId, action: "continue", reasonCode: "holdback_clean" }),
    ]);
    expect(await activeChat(fixture)).toBe("chat@v2");
    // A clean look is not recorded: the decisions are the start and the promotion.
    expect(view.decisionCount).toBe(2);
    expect((await fixture.service.getExperiment(experimentId)).decisionCount).toBe(2);
  });

  it("reverts a promoted version that starts to drive exits, without an operator", async () => {
    const fixture = await createRolloutFixture();
    const experimentId = await promoteChatV2(fixture);
    fixture.advanceHours(2);
    await serveThroughRouter(fixture, 2000, (version) => (version === "chat@v2" ? 0.4 : 0.1));
    fixture.advanceHours(0.25);
    const report = await fixture.service.evaluateNow();
    expect(report.holdbacks).toEqual([
      expect.objectContaining({ experimentId, action: "rollback", reasonCode: "holdback_degraded" }),
    ]);
    expect(report.holdbacks[0]!.reason).toContain("exit rate");
    expect(await activeChat(fixture)).toBe("chat@v1");
    const view = await fixture.service.getExperiment(experimentId, { decisionLimit: 1 });
    expect(view).toMatchObject({ status: "rolled_back", holdback: null });
    expect(view.decisions[0]).toMatchObject({
      action: "rollback",
      reasonCode: "holdback_degraded",
      actor: "scheduler",
      statistics: { holdback: true, degradedGuardrails: expect.arrayContaining(["exitRate"]) },
    });
    // Everyone is back on the previous version, and the watch is over.
    expect((await fixture.router.route("chat", "unit-1")).version.id).toBe("chat@v1");
    expect((await fixture.service.evaluateNow()).holdbacks).toEqual([]);
  });

  it("ends with the grace period: the replaced version retires and everyone gets the promoted one", async () => {
    const fixture = await createRolloutFixture({ policy: { retirementGracePeriodHours: 2 } });
    await promoteChatV2(fixture);
    fixture.advanceHours(2.5);
    expect((await fixture.service.evaluateNow()).retired).toEqual(["chat@v1"]);
    for (let i = 0; i < 200; i++) {
      expect(await fixture.router.route("chat", `unit-${i}`)).toMatchObject({
        version: { id: "chat@v2" },
        experimentId: null,
      });
    }
  });
});
