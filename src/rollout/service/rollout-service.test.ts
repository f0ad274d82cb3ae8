import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createSqlPromptStore } from "../../prompts/store/sql-prompt-store.js";
import { createRolloutPolicy } from "../core/create-rollout-policy.js";
import { openSqliteDatabase } from "../../storage/sqlite/open-sqlite-database.js";
import { createSqlInteractionStore } from "../../feedback/store/sql-interaction-store.js";
import { createRolloutService } from "./rollout-service.js";
import { createSqlRolloutStore } from "../store/sql-rollout-store.js";
import { createRolloutFixture, seedSentimentRegistry, type RolloutFixture } from "./rollout-test-fixture.js";

const operator = { actor: "cli:test", reason: "by hand" };
/** A promotion by hand without evidence, on purpose. */
const forced = { ...operator, force: true };

async function startCanary(fixture: RolloutFixture, versionId = "sentiment@v2") {
  const started = await fixture.service.startCanary(versionId, { ...operator, manual: true });
  if (!started.started) throw new Error(started.reason);
  return started.experiment.id;
}

/** Records `count` interactions on one arm, each from its own session, with the given feedback. */
async function serve(
  fixture: RolloutFixture,
  experimentId: string,
  arm: "control" | "candidate",
  count: number,
  feedback: (index: number) => NonNullable<Parameters<RolloutFixture["record"]>[0]["feedback"]> = () => [],
) {
  for (let index = 0; index < count; index++) {
    await fixture.record({
      experimentId,
      arm,
      versionId: arm === "candidate" ? "sentiment@v2" : "sentiment@v1",
      feedback: feedback(index),
    });
  }
}

const right = [{ type: "label_confirm" as const, payload: { correct: true } }];
const wrong = [{ type: "label_correct" as const, payload: { label: "负面" } }];

describe("startCanary", () => {
  it("starts automatically only while AUTO_START_CANARY is on; an operator can always start", async () => {
    const fixture = await createRolloutFixture({ autoStartCanary: false });
    const automatic = await fixture.service.startCanary("sentiment@v2", {
      actor: "analysis",
      reason: "gate passed",
    });
    expect(automatic).toMatchObject({ started: false, reasonCode: "auto_start_disabled" });
    expect(await fixture.rollouts.listExperiments()).toEqual([]);
    const manual = await fixture.service.startCanary("sentiment@v2", { ...operator, manual: true });
    expect(manual).toMatchObject({
      started: true,
      experiment: { control: "sentiment@v1", candidate: "sentiment@v2", share: 0.1, startedBy: "cli:test" },
    });
    const [start] = await fixture.rollouts.listDecisions(
      (manual as { experiment: { id: string } }).experiment.id,
    );
    expect(start).toMatchObject({ action: "start", reasonCode: "started_by_operator", actor: "cli:test" });
  });

  it.each([
    ["an unknown version", "sentiment@v9", "PROMPT_VERSION_NOT_FOUND"],
    ["the active version", "sentiment@v1", "ROLLOUT_CONFLICT"],
  ])("refuses %s", async (_name, versionId, code) => {
    const fixture = await createRolloutFixture();
    await expect(fixture.service.startCanary(versionId, operator)).rejects.toMatchObject({ code });
  });

  it("refuses a second canary for the task, and a candidate with other labels", async () => {
    const fixture = await createRolloutFixture();
    await startCanary(fixture);
    await expect(fixture.service.startCanary("sentiment@v3", operator)).rejects.toMatchObject({
      code: "ROLLOUT_CONFLICT",
    });
    const other = await createRolloutFixture();
    await other.prompts.saveVersion({
      definition: {
        task: "sentiment",
        version: "v4",
        kind: "classifier",
        systemPrompt: "x",
        labels: ["好", "坏"],
      },
      source: "human",
      createdAt: 0,
    });
    await expect(other.service.startCanary("sentiment@v4", operator)).rejects.toMatchObject({
      code: "ROLLOUT_CONFLICT",
      message: expect.stringContaining("must keep the kind and labels"),
    });
  });
});

describe("evaluateNow", () => {
  it("halts on a sample-ratio mismatch (12% of units where 10% is expected) and then serves control only", async () => {
    const fixture = await createRolloutFixture();
    const experimentId = await startCanary(fixture);
    await serve(fixture, experimentId, "control", 4400);
    await serve(fixture, experimentId, "candidate", 600);
    fixture.advanceHours(1);
    const report = await fixture.service.evaluateNow();
    expect(report.decisions).toEqual([
      expect.objectContaining({ action: "halt", reasonCode: "sample_ratio_mismatch" }),
    ]);
    expect(report.decisions[0]!.reason).toContain("600 of 5000 units (12.0%) where 10.0% is expected");
    const routed = await fixture.router.route("sentiment", "a-candidate-unit-or-not");
    expect(routed).toMatchObject({ version: { id: "sentiment@v1" }, arm: null });
    // Halted experiments wait for an operator: the schedule leaves them alone, an operator ends them.
    expect((await fixture.service.evaluateNow()).decisions).toEqual([]);
    const ended = await fixture.service.rollback("sentiment@v2", operator);
    expect(ended.experiment).toMatchObject({ status: "rolled_back" });
    expect(await fixture.service.startCanary("sentiment@v3", operator)).toMatchObject({ started: true });
  });

  it("does not halt at 10.4% of units (within chance)", async () => {
    const fixture = await createRolloutFixture();
    const experimentId = await startCanary(fixture);
    await serve(fixture, experimentId, "control", 4480);
    await serve(fixture, experimentId, "candidate", 520);
    fixture.advanceHours(1);
    expect((await fixture.service.evaluateNow()).decisions[0]).toMatchObject({
      action: "continue",
      reasonCode: "minimum_duration_not_met",
    });
  });

  it("ramps with a fresh latency threshold (control's p95 before the ramp), then counts the new stage only", async () => {
    const fixture = await createRolloutFixture({ policy: { minimumLabelledPerArm: 30 } });
    const experimentId = await startCanary(fixture);
    await serve(fixture, experimentId, "control", 540, (i) => (i % 5 < 2 ? wrong : right));
    await serve(fixture, experimentId, "candidate", 60, (i) => (i % 20 === 0 ? wrong : right));
    fixture.advanceHours(73);
    const [ramp] = (await fixture.service.evaluateNow()).decisions;
    // The default (balanced) canary is a safety stage: 72 h and 50 candidate labels with clean guardrails.
    expect(ramp).toMatchObject({ action: "ramp", reasonCode: "guardrails_clean" });
    const experiment = await fixture.service.getExperiment(experimentId);
    expect(experiment).toMatchObject({ stageIndex: 1, share: 0.5, latencyThresholdMs: 100 });
    fixture.advanceHours(1);
    const [next] = (await fixture.service.evaluateNow()).decisions;
    expect(next).toMatchObject({ action: "continue", reasonCode: "minimum_duration_not_met" });
    const latest = await fixture.service.getExperiment(experimentId, { decisionLimit: 1 });
    expect(latest.decisions[0]!.statistics).toMatchObject({
      arms: { control: { requests: 0 }, candidate: { requests: 0 } },
      latencyThresholdSource: "before_stage",
    });
  });

  it("rolls back as inconclusive at the maximum stage duration, keeping control", async () => {
    const fixture = await createRolloutFixture({ policy: { preset: "strict", minimumLabelledPerArm: 10 } });
    const experimentId = await startCanary(fixture);
    await serve(fixture, experimentId, "control", 180, (i) => (i % 5 === 0 ? wrong : right));
    await serve(fixture, experimentId, "candidate", 20, (i) => (i % 5 === 0 ? wrong : right));
    fixture.advanceHours(14 * 24);
    const [decision] = (await fixture.service.evaluateNow()).decisions;
    expect(decision).toMatchObject({ action: "rollback", reasonCode: "inconclusive_at_maximum_duration" });
    expect((await fixture.prompts.listLabels("sentiment")).map((l) => [l.label, l.versionId])).toEqual([
      ["active", "sentiment@v1"],
      ["retired", "sentiment@v2"],
    ]);
  });

  it("decides once when looks overlap", async () => {
    const fixture = await createRolloutFixture({ policy: { minimumLabelledPerArm: 10 } });
    const experimentId = await startCanary(fixture);
    await serve(fixture, experimentId, "control", 360, (i) => (i % 10 === 0 ? wrong : right));
    await serve(fixture, experimentId, "candidate", 40, () => wrong);
    const reports = await Promise.all([fixture.service.evaluateNow(), fixture.service.evaluateNow()]);
    expect(reports.map((r) => r.decisions.map((d) => d.action))).toEqual([["rollback"], []]);
    expect(reports.flatMap((r) => r.failures)).toEqual([]);
  });

  it("retires the replaced version after the grace period of the policy the promotion ran under", async () => {
    const fixture = await createRolloutFixture({ policy: { retirementGracePeriodHours: 2 } });
    await startCanary(fixture);
    await fixture.service.promote("sentiment@v2", forced);
    fixture.advanceHours(1);
    expect((await fixture.service.evaluateNow()).retired).toEqual([]);
    fixture.advanceHours(1.5);
    expect((await fixture.service.evaluateNow()).retired).toEqual(["sentiment@v1"]);
    expect((await fixture.prompts.listLabels("sentiment")).map((l) => l.label)).toEqual([
      "active",
      "retired",
    ]);
  });
});

describe("manual overrides", () => {
  it("promotes a version without an experiment, and rolls back to the version pending retirement", async () => {
    const fixture = await createRolloutFixture();
    const promoted = await fixture.service.promote("sentiment@v3", forced);
    expect(promoted).toMatchObject({
      experiment: null,
      moves: [{ label: "pending_retirement" }, { label: "active" }],
    });
    expect((await fixture.router.route("sentiment", "u")).version.id).toBe("sentiment@v3");
    await fixture.service.rollback("sentiment@v3", { actor: "cli:test", reason: "bad" });
    expect((await fixture.router.route("sentiment", "u")).version.id).toBe("sentiment@v1");
    const moves = await fixture.prompts.listMoves("sentiment");
    expect(moves.at(-1)).toMatchObject({
      actor: "cli:test",
      reason: expect.stringContaining("rolled back by hand: bad"),
    });
  });

  it("refuses a promotion without evidence unless forced, and records the force with the moves", async () => {
    const fixture = await createRolloutFixture();
    await expect(fixture.service.promote("sentiment@v3", operator)).rejects.toMatchObject({
      code: "EVIDENCE_INSUFFICIENT",
      status: 409,
      details: { experimentId: null, trials: 0 },
    });
    const experimentId = await startCanary(fixture);
    await expect(fixture.service.promote("sentiment@v2", operator)).rejects.toMatchObject({
      code: "EVIDENCE_INSUFFICIENT",
      details: { experimentId, trials: 0 },
    });
    expect((await fixture.prompts.listLabels("sentiment")).find((l) => l.label === "active")?.versionId).toBe(
      "sentiment@v1",
    );
    await fixture.service.promote("sentiment@v2", forced);
    const moves = await fixture.prompts.listMoves("sentiment");
    expect(moves.filter((m) => m.label === "active").at(-1)).toMatchObject({
      toVersionId: "sentiment@v2",
      reason: expect.stringContaining("without evidence"),
    });
  });

  it("promotes by hand without force once the candidate has the labelled answers the policy asks for", async () => {
    const fixture = await createRolloutFixture({ policy: { minimumLabelledPerArm: 30 } });
    const experimentId = await startCanary(fixture);
    await serve(fixture, experimentId, "candidate", 40, () => right);
    const promoted = await fixture.service.promote("sentiment@v2", operator);
    expect(promoted.experiment).toMatchObject({ status: "promoted" });
    const moves = await fixture.prompts.listMoves("sentiment");
    expect(moves.at(-1)?.reason).not.toContain("without evidence");
  });

  it("refuses to promote or roll back another version while an experiment runs", async () => {
    const fixture = await createRolloutFixture();
    await startCanary(fixture);
    await expect(fixture.service.promote("sentiment@v3", operator)).rejects.toMatchObject({
      code: "ROLLOUT_CONFLICT",
    });
    await expect(fixture.service.rollback("sentiment@v1", operator)).rejects.toMatchObject({
      code: "ROLLOUT_CONFLICT",
    });
  });

  it.each([
    ["the active version", "sentiment@v1", "is the active version"],
    ["the canary", "sentiment@v2", "roll it back instead"],
  ])("refuses to retire %s", async (_name, versionId, message) => {
    const fixture = await createRolloutFixture();
    await startCanary(fixture);
    await expect(fixture.service.retire(versionId, operator)).rejects.toMatchObject({
      code: "ROLLOUT_CONFLICT",
      message: expect.stringContaining(message),
    });
  });

  it("retires a draft, or a version pending retirement before its grace period, once", async () => {
    const fixture = await createRolloutFixture();
    await fixture.service.retire("sentiment@v3", operator);
    await fixture.service.promote("sentiment@v2", forced);
    await fixture.service.retire("sentiment@v1", operator);
    const labels = (await fixture.prompts.listLabels("sentiment")).map((l) => [l.label, l.versionId]);
    expect(labels).toEqual([
      ["active", "sentiment@v2"],
      ["retired", "sentiment@v1"],
    ]);
    await expect(fixture.service.retire("sentiment@v3", operator)).rejects.toMatchObject({
      message: expect.stringContaining("already retired"),
    });
    await expect(fixture.service.rollback("sentiment@v2", operator)).rejects.toMatchObject({
      code: "ROLLOUT_CONFLICT",
    });
  });
});

it("keeps rollout state across a restart (SQLite file)", async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "rollout-restart-"));
  const file = path.join(dir, "db.sqlite");
  let time = Date.parse("2026-04-01T00:00:00Z");
  const open = async () => {
    const database = await openSqliteDatabase(file);
    const prompts = createSqlPromptStore(database.db);
    const service = createRolloutService({
      prompts,
      rollouts: createSqlRolloutStore(database.db),
      interactions: createSqlInteractionStore(database.db, database.monitor, database.dialect),
      policy: createRolloutPolicy(),
      autoStartCanary: true,
      now: () => time,
    });
    return { database, prompts, service };
  };
  const first = await open();
  await seedSentimentRegistry(first.prompts, time);
  const started = await first.service.startCanary("sentiment@v2", {
    actor: "analysis",
    reason: "gate passed",
  });
  expect(started).toMatchObject({ started: true, experiment: { startedBy: "analysis" } });
  await first.database.close();

  time += 80 * 3_600_000;
  const second = await open();
  const report = await second.service.evaluateNow();
  expect(report.decisions).toEqual([
    expect.objectContaining({ action: "continue", reasonCode: "minimum_exposure_not_met" }),
  ]);
  const [experiment] = await second.service.listExperiments();
  expect(experiment).toMatchObject({ status: "running", candidate: "sentiment@v2", decisionCount: 2 });
  expect(experiment!.decisions.map((d) => d.action)).toEqual(["continue", "start"]);
  await second.database.close();
});
