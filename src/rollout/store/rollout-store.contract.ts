import { beforeEach, describe, expect, it } from "vitest";
import type { PromptStore } from "../../prompts/store/prompt-store.js";
import { createRolloutPolicy } from "../core/create-rollout-policy.js";
import type { Experiment, LabelMovePlan, NewRolloutDecision, RolloutStore } from "./rollout-store.js";
import { seedSentimentRegistry } from "../service/rollout-test-fixture.js";

const experiment: Experiment = {
  experimentId: "exp-1",
  task: "sentiment",
  controlVersionId: "sentiment@v1",
  candidateVersionId: "sentiment@v2",
  stageIndex: 0,
  startedAt: 100,
  stageStartedAt: 100,
  status: "running",
  policy: createRolloutPolicy(),
  latencyThresholdMs: 42.5,
  startedBy: "api:alice",
  startReason: "try it",
  endedAt: null,
  updatedAt: 100,
};
const startCanary: LabelMovePlan = {
  task: "sentiment",
  label: "canary",
  fromVersionId: null,
  toVersionId: "sentiment@v2",
  reasonCode: "canary_started",
  reason: "Canary started.",
};
const decision = (overrides: Partial<NewRolloutDecision> = {}): NewRolloutDecision => ({
  experimentId: "exp-1",
  action: "start",
  reasonCode: "started_by_operator",
  reason: "started",
  statistics: null,
  stageIndex: 0,
  actor: "api:alice",
  decidedAt: 100,
  ...overrides,
});
const promoteMoves: LabelMovePlan[] = [
  {
    task: "sentiment",
    label: "pending_retirement",
    fromVersionId: null,
    toVersionId: "sentiment@v1",
    reasonCode: "replaced_by_promotion",
    reason: "kept",
  },
  {
    task: "sentiment",
    label: "active",
    fromVersionId: "sentiment@v1",
    toVersionId: "sentiment@v2",
    reasonCode: "promoted",
    reason: "promoted",
  },
  {
    task: "sentiment",
    label: "canary",
    fromVersionId: "sentiment@v2",
    toVersionId: null,
    reasonCode: "canary_ended",
    reason: "ended",
  },
];

/** Every RolloutStore implementation must pass this suite; `create` returns it with the prompt store it moves labels in. */
export function rolloutStoreContract(
  name: string,
  create: () => Promise<{ prompts: PromptStore; rollouts: RolloutStore }>,
): void {
  describe(`RolloutStore contract: ${name}`, () => {
    let prompts: PromptStore;
    let rollouts: RolloutStore;
    const labelsNow = async () =>
      Object.fromEntries((await prompts.listLabels("sentiment")).map((l) => [l.label, l.versionId]));

    beforeEach(async () => {
      ({ prompts, rollouts } = await create());
      await seedSentimentRegistry(prompts);
      await rollouts.startExperiment(experiment, decision(), [startCanary]);
    });

    it("starts an experiment with its decision and canary label, and keeps it as written", async () => {
      expect(await rollouts.getExperiment("exp-1")).toEqual(experiment);
      expect(await rollouts.findOpenExperiment("sentiment")).toEqual(experiment);
      expect(await rollouts.findOpenExperiment("chat")).toBeUndefined();
      expect(await labelsNow()).toEqual({ active: "sentiment@v1", canary: "sentiment@v2" });
      const [started] = await rollouts.listDecisions("exp-1");
      expect(started).toMatchObject({ ...decision(), labelMoves: [startCanary] });
      const [moved] = (await prompts.listMoves("sentiment")).slice(-1);
      expect(moved).toMatchObject({ label: "canary", toVersionId: "sentiment@v2", actor: "api:alice" });
      expect(moved!.reason).toContain("Canary started.");
    });

    it("allows one open experiment per task", async () => {
      await expect(
        rollouts.startExperiment(
          { ...experiment, experimentId: "exp-2", candidateVersionId: "sentiment@v3" },
          decision({ experimentId: "exp-2" }),
          [],
        ),
      ).rejects.toMatchObject({ code: "ROLLOUT_CONFLICT" });
      expect(await rollouts.getExperiment("exp-2")).toBeUndefined();
    });

    it("records a decision with its state change and label moves together", async () => {
      const recorded = await rollouts.recordDecision({
        decision: decision({
          action: "promote",
          reasonCode: "candidate_superior",
          statistics: { arms: { n: 1 } },
          decidedAt: 200,
        }),
        expected: { status: "running", stageIndex: 0 },
        change: { status: "promoted", endedAt: 200 },
        moves: promoteMoves,
      });
      expect(recorded).toMatchObject({
        action: "promote",
        statistics: { arms: { n: 1 } },
        labelMoves: promoteMoves,
      });
      expect(await rollouts.getExperiment("exp-1")).toMatchObject({
        status: "promoted",
        endedAt: 200,
        updatedAt: 200,
        stageIndex: 0,
      });
      expect(await rollouts.findOpenExperiment("sentiment")).toBeUndefined();
      expect(await labelsNow()).toEqual({ active: "sentiment@v2", pending_retirement: "sentiment@v1" });
      expect((await rollouts.listDecisions("exp-1")).map((d) => d.action)).toEqual(["promote", "start"]);
      expect(await rollouts.countDecisions("exp-1")).toBe(2);
      expect((await rollouts.listDecisions("exp-1", { limit: 1 })).map((d) => d.action)).toEqual(["promote"]);
    });

    it("writes nothing when the experiment changed since the decision looked", async () => {
      await rollouts.recordDecision({
        decision: decision({ action: "ramp", reasonCode: "candidate_superior" }),
        expected: { status: "running", stageIndex: 0 },
        change: { stageIndex: 1, stageStartedAt: 150, latencyThresholdMs: null },
        moves: [],
      });
      expect(await rollouts.getExperiment("exp-1")).toMatchObject({
        stageIndex: 1,
        stageStartedAt: 150,
        latencyThresholdMs: null,
      });
      await expect(
        rollouts.recordDecision({
          decision: decision({ action: "promote", reasonCode: "candidate_superior" }),
          expected: { status: "running", stageIndex: 0 },
          change: { status: "promoted" },
          moves: promoteMoves,
        }),
      ).rejects.toMatchObject({ code: "ROLLOUT_CONFLICT" });
      expect(await rollouts.getExperiment("exp-1")).toMatchObject({ status: "running", stageIndex: 1 });
      expect(await labelsNow()).toEqual({ active: "sentiment@v1", canary: "sentiment@v2" });
      expect(await rollouts.countDecisions("exp-1")).toBe(2);
    });

    it("writes nothing when a label moved since the moves were planned", async () => {
      const stale = promoteMoves.map((move) =>
        move.label === "active" ? { ...move, fromVersionId: "sentiment@v3" } : move,
      );
      await expect(
        rollouts.recordDecision({
          decision: decision({ action: "promote", reasonCode: "candidate_superior" }),
          expected: { status: "running", stageIndex: 0 },
          change: { status: "promoted" },
          moves: stale,
        }),
      ).rejects.toMatchObject({ code: "ROLLOUT_CONFLICT" });
      expect(await rollouts.getExperiment("exp-1")).toMatchObject({ status: "running" });
      expect(await labelsNow()).toEqual({ active: "sentiment@v1", canary: "sentiment@v2" });
      expect(await rollouts.countDecisions("exp-1")).toBe(1);
    });

    it("applies label moves outside an experiment, recording actor and reason", async () => {
      await rollouts.applyLabelMoves(
        [
          {
            task: "sentiment",
            label: "retired",
            fromVersionId: null,
            toVersionId: "sentiment@v3",
            reasonCode: "retired_by_operator",
            reason: "unused",
          },
        ],
        { actor: "cli:bob", reason: "(cleanup)", now: 300 },
      );
      const last = (await prompts.listMoves("sentiment")).at(-1)!;
      expect(last).toMatchObject({
        label: "retired",
        toVersionId: "sentiment@v3",
        actor: "cli:bob",
        createdAt: 300,
      });
      expect(last.reason).toBe("unused [retired_by_operator] (cleanup)");
      expect(last).toMatchObject({ reasonCode: "retired_by_operator", reasonParams: null });
    });

    it("records each move's reason code and its facts beside the sentence, for the console to tell", async () => {
      const started = (await prompts.listMoves("sentiment")).find((move) => move.label === "canary");
      expect(started).toMatchObject({
        reasonCode: "canary_started",
        reasonParams: { experimentId: "exp-1" },
      });
      await rollouts.recordDecision({
        decision: decision({ action: "promote", reasonCode: "operator_override", decidedAt: 200 }),
        expected: { status: "running", stageIndex: 0 },
        change: { status: "promoted", endedAt: 200 },
        moves: promoteMoves,
        moveParams: { byHand: "promoted", note: "看过了，发布", withoutEvidence: true },
      });
      await rollouts.applyLabelMoves(
        [
          {
            task: "sentiment",
            label: "retired",
            fromVersionId: null,
            toVersionId: "sentiment@v3",
            reasonCode: "retired_by_operator",
            reason: "sentiment@v3 retired by hand.",
          },
        ],
        {
          actor: "cli:bob",
          reason: "(retired by hand: 不用了)",
          now: 300,
          params: { byHand: "retired", note: "不用了" },
        },
      );
      const moves = await prompts.listMoves("sentiment");
      expect(
        moves
          .filter((move) => move.createdAt >= 200)
          .map(({ label, reasonCode, reasonParams }) => ({ label, reasonCode, reasonParams })),
      ).toEqual([
        ...promoteMoves.map((move) => ({
          label: move.label,
          reasonCode: move.reasonCode,
          reasonParams: {
            experimentId: "exp-1",
            byHand: "promoted",
            note: "看过了，发布",
            withoutEvidence: true,
          },
        })),
        {
          label: "retired",
          reasonCode: "retired_by_operator",
          reasonParams: { byHand: "retired", note: "不用了" },
        },
      ]);
    });

    it("lists experiments newest first, filtered by task and status", async () => {
      await rollouts.recordDecision({
        decision: decision({ action: "rollback", reasonCode: "guardrail_degraded" }),
        expected: { status: "running", stageIndex: 0 },
        change: { status: "rolled_back", endedAt: 150 },
        moves: [],
      });
      await rollouts.startExperiment(
        { ...experiment, experimentId: "exp-2", candidateVersionId: "sentiment@v3", startedAt: 200 },
        decision({ experimentId: "exp-2" }),
        [],
      );
      expect((await rollouts.listExperiments()).map((e) => e.experimentId)).toEqual(["exp-2", "exp-1"]);
      expect(
        (await rollouts.listExperiments({ statuses: ["rolled_back"] })).map((e) => e.experimentId),
      ).toEqual(["exp-1"]);
      expect(await rollouts.listExperiments({ task: "chat" })).toEqual([]);
      expect(await rollouts.listExperiments({ statuses: [] })).toEqual([]);
    });
  });
}
