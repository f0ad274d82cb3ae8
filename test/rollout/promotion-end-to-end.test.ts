import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hour, startRolloutApp, type Classified, type RolloutApp } from "./rollout-test-client.js";

/**
 * A clearly better candidate goes 10% → 50% → 100% on the real app (tiny GGUF, SQLite, HTTP), with scripted
 * feedback and a manual clock: control's answers are corrected 70% of the time, the candidate's 5%.
 */
describe("a better candidate is ramped and promoted, and the served prompt follows", () => {
  let rollout: RolloutApp;
  /** The version each session saw in the first stage. */
  const firstSeen = new Map<string, string>();
  let counter = 0;

  beforeAll(async () => {
    rollout = await startRolloutApp();
  });
  afterAll(() => rollout.app.close());

  /** One request with scripted feedback by the arm that served it; returns what was served. */
  async function requestWithFeedback(sessionId: string): Promise<Classified> {
    const classified = await rollout.classify(sessionId);
    counter += 1;
    const wrong = classified.promptVersion === "sentiment@v2" ? counter % 20 === 0 : counter % 10 < 7;
    await rollout.judge(classified, !wrong, sessionId);
    rollout.clock.advance(60_000);
    return classified;
  }

  it("creates a candidate through the admin API and starts its canary", async () => {
    const created = await rollout.admin("POST", "/api/admin/prompts", {
      task: "sentiment",
      version: "v2",
      system: "你是一名严谨的情感分析师。先找出评价的对象与转折词，再判断整体倾向。只输出'正面'或'负面'。",
      changelog: { summary: "handle contrast words", evidence: { note: "hand-written for the test" } },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      created: true,
      version: { id: "sentiment@v2", parentId: "sentiment@v1", source: "human", status: "draft" },
    });
    const started = await rollout.admin("POST", "/api/admin/prompts/sentiment@v2/start-canary", {
      reason: "try the contrast-aware prompt",
      actor: "alice",
    });
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json()).toMatchObject({
      started: true,
      experiment: { task: "sentiment", control: "sentiment@v1", candidate: "sentiment@v2", share: 0.1 },
    });
    expect(await rollout.statusOf("sentiment@v2")).toBe("canary");
  });

  it("stage 1 (10%): each session keeps its arm, and the candidate gets about a tenth of them", async () => {
    let candidateSessions = 0;
    for (let i = 0; candidateSessions < 28 || i < 150; i++) {
      const sessionId = `user-${i}`;
      const { promptVersion } = await requestWithFeedback(sessionId);
      firstSeen.set(sessionId, promptVersion);
      if (promptVersion === "sentiment@v2") candidateSessions += 1;
    }
    const share = candidateSessions / firstSeen.size;
    expect(share).toBeGreaterThan(0.04);
    expect(share).toBeLessThan(0.2);
    // Sticky: the same session gets the same version again, whatever it asks.
    for (const [sessionId, version] of [...firstSeen].slice(0, 40)) {
      expect((await rollout.classify(sessionId, "又来了一次")).promptVersion).toBe(version);
    }
  });

  it("waits for the 72 h minimum, then ramps to 50% keeping every candidate user on the candidate", async () => {
    rollout.clock.advance(20 * hour);
    const early = await rollout.evaluate();
    expect(early.decisions).toEqual([
      expect.objectContaining({ action: "continue", reasonCode: "minimum_duration_not_met" }),
    ]);

    rollout.clock.advance(53 * hour);
    const ramped = await rollout.evaluate();
    expect(ramped.decisions).toEqual([
      expect.objectContaining({ action: "ramp", reasonCode: "candidate_superior" }),
    ]);
    const moved: string[] = [];
    for (const [sessionId, before] of firstSeen) {
      const { promptVersion } = await requestWithFeedback(sessionId);
      if (before === "sentiment@v2") expect(promptVersion).toBe("sentiment@v2");
      else if (promptVersion === "sentiment@v2") moved.push(sessionId);
    }
    const controlSessions = [...firstSeen.values()].filter((v) => v === "sentiment@v1").length;
    // Units with buckets in [0.1, 0.5) move: 4/9 of the former control sessions, give or take.
    expect(moved.length / controlSessions).toBeGreaterThan(0.25);
    expect(moved.length / controlSessions).toBeLessThan(0.65);
  });

  it("promotes after the second stage; from the next request on everybody gets the candidate", async () => {
    rollout.clock.advance(73 * hour);
    // Requests racing the evaluation must all succeed, whichever version they get.
    const [promoted, ...racing] = await Promise.all([
      rollout.evaluate(),
      ...["user-0", "user-1", "user-2", "user-3"].map((id) => rollout.classify(id)),
    ]);
    expect(racing.every((r) => ["sentiment@v1", "sentiment@v2"].includes(r.promptVersion))).toBe(true);
    expect(promoted.decisions).toEqual([
      expect.objectContaining({ action: "promote", reasonCode: "candidate_superior" }),
    ]);
    for (const sessionId of [...firstSeen.keys()].slice(0, 60)) {
      expect((await rollout.classify(sessionId)).promptVersion).toBe("sentiment@v2");
    }
    expect((await rollout.classify("someone-new")).promptVersion).toBe("sentiment@v2");
    expect(await rollout.statusOf("sentiment@v2")).toBe("active");
    expect(await rollout.statusOf("sentiment@v1")).toBe("pending_retirement");
  });

  it("records every decision with its reason and statistics, shown on the dashboard", async () => {
    const dashboard = await rollout.admin("GET", "/api/admin/dashboard");
    expect(dashboard.statusCode).toBe(200);
    const [experiment] = dashboard.json<{
      experiments: Array<{
        status: string;
        share: number;
        decisions: Array<{ action: string; reasonCode: string; reason: string; statistics: unknown }>;
      }>;
    }>().experiments;
    expect(experiment).toMatchObject({ status: "promoted", share: 1 });
    expect(experiment!.decisions.map((d) => d.action)).toEqual(["promote", "ramp", "continue", "start"]);
    const promotion = experiment!.decisions[0]!;
    expect(promotion.reason).toMatch(
      /^Promoting the candidate: .*labelled error rate is significantly lower/,
    );
    expect(promotion.statistics).toMatchObject({
      arms: { control: { labelled: expect.any(Number) }, candidate: { labelled: expect.any(Number) } },
      stage: { index: 1, candidateShare: 0.5 },
      primary: { candidateQualifies: true },
      sampleRatio: { mismatch: false },
    });
    const ramp = experiment!.decisions[1]!.statistics as { arms: { candidate: { labelled: number } } };
    expect(ramp.arms.candidate.labelled).toBeGreaterThanOrEqual(25);
  });

  it("retires the replaced version once the grace period is over", async () => {
    rollout.clock.advance(6 * 24 * hour);
    expect((await rollout.evaluate()).retired).toEqual([]);
    rollout.clock.advance(25 * hour);
    expect((await rollout.evaluate()).retired).toEqual(["sentiment@v1"]);
    expect(await rollout.statusOf("sentiment@v1")).toBe("retired");
    expect((await rollout.classify("user-1")).promptVersion).toBe("sentiment@v2");
  });
});
