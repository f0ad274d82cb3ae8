import { afterEach, describe, expect, it } from "vitest";
import { startRolloutApp, type RolloutApp } from "../rollout/rollout-test-client.js";

/**
 * Issue 17 §1 on the rollout, over HTTP: a candidate as good as control runs as a canary; one session that landed
 * in the candidate arm corrects every answer it gets and leaves after each. Without the per-session share its
 * feedback alone rolls the candidate back; with FEEDBACK_MAX_SESSION_SHARE (default 10%) the canary carries on.
 */
describe("one session steering a rollout", () => {
  let rollout: RolloutApp | null = null;
  afterEach(async () => {
    await rollout?.app.close();
    rollout = null;
  });

  async function canaryUnderAttack(maxSessionShare: string | undefined) {
    rollout = await startRolloutApp(
      maxSessionShare === undefined ? {} : { FEEDBACK_MAX_SESSION_SHARE: maxSessionShare },
    );
    const created = await rollout.admin("POST", "/api/admin/prompts", {
      task: "sentiment",
      version: "v3",
      system: "你是情感分析师。只输出'正面'或'负面'。",
      changelog: { summary: "same behaviour, other words" },
    });
    expect(created.statusCode, created.body).toBe(201);
    const started = await rollout.admin("POST", "/api/admin/prompts/sentiment@v3/start-canary", {
      reason: "steering test",
    });
    expect(started.statusCode, started.body).toBe(200);

    // Honest visitors: the same experience in both arms (one in eight corrects, one in ten leaves).
    let candidateVisitors = 0;
    for (let index = 0; index < 2000 && candidateVisitors < 30; index++) {
      const sessionId = `visitor-${index}`;
      const classified = await rollout.classify(sessionId);
      if (classified.promptVersion === "sentiment@v3") candidateVisitors += 1;
      await rollout.judge(classified, index % 8 !== 0, sessionId);
      if (index % 10 === 0) {
        const { interactionId, feedbackToken } = classified;
        await rollout.feedback({ interactionId, feedbackToken, type: "exit", sessionId });
      }
      rollout.clock.advance(20_000);
    }
    expect(candidateVisitors).toBe(30);

    // The attacker: a session id that lands in the candidate arm, then 150 answers corrected and left.
    let attacker = "";
    for (let n = 0; attacker === ""; n++) {
      const probe = await rollout.classify(`attacker-${n}`);
      if (probe.promptVersion === "sentiment@v3") attacker = `attacker-${n}`;
    }
    for (let n = 0; n < 150; n++) {
      const classified = await rollout.classify(attacker, `第${n}条评论`);
      expect(classified.promptVersion).toBe("sentiment@v3");
      await rollout.judge(classified, false, attacker);
      const { interactionId, feedbackToken } = classified;
      await rollout.feedback({ interactionId, feedbackToken, type: "exit", sessionId: attacker });
      rollout.clock.advance(1_000);
    }
    rollout.clock.advance(3_600_000);
    return rollout.evaluate();
  }

  it("without the share, the attacker alone rolls the candidate back", async () => {
    const report = await canaryUnderAttack("1");
    expect(report.decisions).toEqual([
      expect.objectContaining({ action: "rollback", reasonCode: "guardrail_degraded" }),
    ]);
  }, 300_000);

  it("with the default share, the canary carries on", async () => {
    const report = await canaryUnderAttack(undefined);
    expect(report.decisions).toHaveLength(1);
    expect(report.decisions[0]!.action).not.toBe("rollback");
  }, 300_000);
});
