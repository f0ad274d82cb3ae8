import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endToEndPolicy, hour, startRolloutApp, type RolloutApp } from "./rollout-test-client.js";

/**
 * The watch goes on after a promotion: a holdback of units keeps the replaced version for the grace period, and
 * a promoted version that starts to drive exits is reverted by the scheduler's look, without an operator
 * (退出率异常上升时立即回滚). The real app on the tiny GGUF, a manual clock, HTTP only.
 */
describe("a promoted version that drives exits is reverted from its holdback", () => {
  let rollout: RolloutApp;

  beforeAll(async () => {
    // A 20% holdback (default 5%) so that a few hundred requests show the difference.
    rollout = await startRolloutApp({
      ROLLOUT_POLICY: JSON.stringify({ ...endToEndPolicy, holdbackShare: 0.2 }),
    });
    const created = await rollout.admin("POST", "/api/admin/prompts", {
      task: "sentiment",
      version: "v2",
      system: "你是情感分析师。只输出'正面'或'负面'。",
      changelog: { summary: "candidate v2" },
    });
    expect(created.statusCode, created.body).toBe(201);
  });
  afterAll(() => rollout.app.close());

  it("keeps the holdback on the replaced version, shows it, and reverts on exits without an operator", async () => {
    const started = await rollout.admin("POST", "/api/admin/prompts/sentiment@v2/start-canary", {
      reason: "try",
    });
    expect(started.statusCode, started.body).toBe(200);
    const promoted = await rollout.admin("POST", "/api/admin/prompts/sentiment@v2/promote", {
      reason: "looks good",
      force: true,
    });
    expect(promoted.statusCode, promoted.body).toBe(200);
    expect(promoted.json()).toMatchObject({
      experiment: { status: "promoted", share: 0.8, holdback: { share: 0.2, version: "sentiment@v1" } },
    });
    expect(await rollout.statusOf("sentiment@v1")).toBe("pending_retirement");

    rollout.clock.advance(2 * hour);
    const served: Record<string, number> = {};
    for (let i = 0; i < 300; i++) {
      const sessionId = `after-${i}`;
      const classified = await rollout.classify(sessionId);
      const version = classified.promptVersion;
      served[version] = (served[version] ?? 0) + 1;
      // The promoted version drives exits: 6 in 10 of its users leave, 1 in 10 of the holdback's.
      const exitShare = version === "sentiment@v2" ? 0.6 : 0.1;
      if ((served[version]! % 10) / 10 < exitShare) {
        await rollout.feedback({
          interactionId: classified.interactionId,
          feedbackToken: classified.feedbackToken,
          type: "exit",
          sessionId,
        });
      }
    }
    expect(served["sentiment@v1"]).toBeGreaterThan(30);
    expect(served["sentiment@v2"]).toBeGreaterThan(180);

    rollout.clock.advance(0.25 * hour);
    const report = await rollout.evaluate();
    expect(report.holdbacks).toEqual([
      expect.objectContaining({ action: "rollback", reasonCode: "holdback_degraded" }),
    ]);
    expect(report.holdbacks[0]!.reason).toMatch(/exit rate worse/);
    expect(await rollout.statusOf("sentiment@v1")).toBe("active");
    expect(await rollout.statusOf("sentiment@v2")).toBe("retired");
    for (const sessionId of ["after-0", "after-1", "after-2", "someone-new"]) {
      expect((await rollout.classify(sessionId)).promptVersion).toBe("sentiment@v1");
    }
    const dashboard = (await rollout.admin("GET", "/api/admin/dashboard")).json<{
      experiments: Array<{
        status: string;
        holdback: unknown;
        decisions: Array<{ action: string; reasonCode: string; actor: string }>;
      }>;
    }>();
    expect(dashboard.experiments[0]).toMatchObject({
      status: "rolled_back",
      holdback: null,
      decisions: [
        { action: "rollback", reasonCode: "holdback_degraded", actor: expect.any(String) },
        { action: "promote" },
        { action: "start" },
      ],
    });
  }, 300_000);
});
