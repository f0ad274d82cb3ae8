import { describe, expect, it } from "vitest";
import type { FeedbackType } from "../../feedback/store/interaction-store.js";
import { createRolloutFixture, type RolloutFixture } from "./rollout-test-fixture.js";

const operator = { actor: "cli:test", reason: "by hand" };
type Feedback = Array<{ type: FeedbackType; payload?: Record<string, unknown> }>;

async function startChatCanary(fixture: RolloutFixture, versionId = "chat@v2") {
  const started = await fixture.service.startCanary(versionId, { ...operator, manual: true });
  if (!started.started) throw new Error(started.reason);
  return started.experiment.id;
}

/** `count` chat turns on one arm, each from its own session, with the feedback of `feedback(index)`. */
async function serveTurns(
  fixture: RolloutFixture,
  experimentId: string,
  arm: "control" | "candidate",
  count: number,
  feedback: (index: number) => Feedback,
) {
  for (let index = 0; index < count; index++) {
    await fixture.record({
      experimentId,
      arm,
      task: "chat",
      versionId: arm === "candidate" ? "chat@v2" : "chat@v1",
      feedback: feedback(index),
    });
  }
}

const rated = (score: number): Feedback => [{ type: "rating", payload: { score } }];
/** The rate of bad turns out of 20: the first `bad` of every 20 turns are rated 1, the others 5. */
const badOutOf20 = (bad: number) => (index: number) => rated(index % 20 < bad ? 1 : 5);

describe("a chat canary is judged on the bad-turn rate of the fused quality score", () => {
  it("promotes a candidate with 5% bad turns against control's 30% (the case that used to roll back)", async () => {
    const fixture = await createRolloutFixture();
    const experimentId = await startChatCanary(fixture);
    const experiment = await fixture.rollouts.getExperiment(experimentId);
    expect(experiment?.policy.primaryMetric).toBe("bad_turn_rate");

    await serveTurns(fixture, experimentId, "control", 900, badOutOf20(6));
    await serveTurns(fixture, experimentId, "candidate", 100, badOutOf20(1));
    fixture.advanceHours(73);
    const [ramp] = (await fixture.service.evaluateNow()).decisions;
    expect(ramp).toMatchObject({ action: "ramp", reasonCode: "guardrails_clean" });

    await serveTurns(fixture, experimentId, "control", 400, badOutOf20(6));
    await serveTurns(fixture, experimentId, "candidate", 400, badOutOf20(1));
    fixture.advanceHours(25);
    const [decision] = (await fixture.service.evaluateNow()).decisions;
    expect(decision).toMatchObject({ action: "promote", reasonCode: "candidate_superior" });
    const { decisions } = await fixture.service.getExperiment(experimentId, { decisionLimit: 1 });
    expect(decisions[0]!.statistics).toMatchObject({
      arms: {
        control: { scoredTurns: 400, badTurns: 120 },
        candidate: { scoredTurns: 400, badTurns: 20 },
      },
    });
    expect((await fixture.prompts.listLabels("chat")).find((l) => l.label === "active")?.versionId).toBe(
      "chat@v2",
    );
  });

  it("rolls back a candidate whose users ask their question again, on the quality guardrail alone", async () => {
    const fixture = await createRolloutFixture();
    const experimentId = await startChatCanary(fixture);
    // Every session asks, follows up, and asks again: the same question (candidate) or a new one (control).
    const session = async (arm: "control" | "candidate", index: number) => {
      const sessionHash = `${arm}-${index}`;
      const versionId = arm === "candidate" ? "chat@v2" : "chat@v1";
      const common = { experimentId, arm, task: "chat" as const, versionId, sessionHash };
      await fixture.record({ ...common, input: "怎么申请退款", feedback: [{ type: "follow_up" }] });
      fixture.advanceHours(0.001);
      await fixture.record({
        ...common,
        input: arm === "candidate" ? "退款怎么申请啊" : "今天天气怎么样",
        feedback: [{ type: "copy" }],
      });
    };
    for (let i = 0; i < 450; i++) await session("control", i);
    for (let i = 0; i < 50; i++) await session("candidate", i);
    fixture.advanceHours(1);
    const [decision] = (await fixture.service.evaluateNow()).decisions;
    expect(decision).toMatchObject({ action: "rollback", reasonCode: "guardrail_degraded" });
    const { decisions } = await fixture.service.getExperiment(experimentId, { decisionLimit: 1 });
    expect(decisions[0]!.statistics).toMatchObject({
      arms: {
        control: { scoredTurns: 900, badTurns: 0, negativeFeedback: 0 },
        candidate: { scoredTurns: 100, badTurns: 50, negativeFeedback: 0 },
      },
      degradedGuardrails: ["badTurnRate"],
    });
  });
});
