import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hour, startRolloutApp, type RolloutApp } from "./rollout-test-client.js";

/**
 * A harmful candidate is rolled back by the guardrails on the real app, before its 72 h are up; an operator can
 * promote and roll back by hand; and nobody without the admin token can move a label.
 */
describe("a worse candidate is rolled back, and labels only move with the admin token", () => {
  let rollout: RolloutApp;
  const sessions = Array.from({ length: 400 }, (_, i) => `visitor-${i}`);
  const firstSeen = new Map<string, string>();

  beforeAll(async () => {
    rollout = await startRolloutApp();
    for (const [version, system] of [
      ["v3", "随便回答。"],
      ["v4", "你是情感分析师。只输出'正面'或'负面'。"],
    ]) {
      const created = await rollout.admin("POST", "/api/admin/prompts", {
        task: "sentiment",
        version,
        system,
        changelog: { summary: `candidate ${version}` },
      });
      expect(created.statusCode, created.body).toBe(201);
    }
  });
  afterAll(() => rollout.app.close());

  it("rolls back on exits and corrections within hours; the very next request gets control", async () => {
    const started = await rollout.admin("POST", "/api/admin/prompts/sentiment@v3/start-canary", {
      reason: "shorter prompt",
    });
    expect(started.statusCode, started.body).toBe(200);
    let candidateSessions = 0;
    for (const [index, sessionId] of sessions.entries()) {
      if (candidateSessions >= 32 && firstSeen.size >= 150) break;
      const classified = await rollout.classify(sessionId);
      firstSeen.set(sessionId, classified.promptVersion);
      const worse = classified.promptVersion === "sentiment@v3";
      if (worse) candidateSessions += 1;
      // Control: about 14% corrected and 10% leaving; the candidate: always corrected, and users leave right
      // after its answers (the write-up's rollback trigger).
      await rollout.judge(classified, !worse && index % 7 !== 0, sessionId);
      if (worse || index % 10 === 0) {
        await rollout.feedback({
          interactionId: classified.interactionId,
          feedbackToken: classified.feedbackToken,
          type: "exit",
          sessionId,
        });
      }
      rollout.clock.advance(30_000);
    }
    rollout.clock.advance(hour);

    const [report, ...racing] = await Promise.all([
      rollout.evaluate(),
      ...sessions.slice(0, 4).map((id) => rollout.classify(id)),
    ]);
    expect(racing).toHaveLength(4);
    expect(report.decisions).toEqual([
      expect.objectContaining({ action: "rollback", reasonCode: "guardrail_degraded" }),
    ]);
    expect(report.decisions[0]!.reason).toMatch(/exit rate worse/);
    for (const [sessionId] of [...firstSeen].filter(([, version]) => version === "sentiment@v3")) {
      expect((await rollout.classify(sessionId)).promptVersion).toBe("sentiment@v1");
    }
    expect(await rollout.statusOf("sentiment@v3")).toBe("retired");
    expect(await rollout.statusOf("sentiment@v1")).toBe("active");

    const experiments = (await rollout.admin("GET", "/api/admin/rollouts")).json<{
      experiments: Array<{
        status: string;
        decisions: Array<{ statistics: { degradedGuardrails?: string[] } }>;
      }>;
    }>().experiments;
    expect(experiments[0]).toMatchObject({ status: "rolled_back" });
    expect(experiments[0]!.decisions[0]!.statistics.degradedGuardrails).toEqual(
      expect.arrayContaining(["exitRate", "errorRate"]),
    );
  });

  it("refuses label moves without a valid admin token, leaving the labels as they were", async () => {
    const before = (await rollout.admin("GET", "/api/admin/prompts?task=sentiment")).body;
    const attempts: Array<[string, object | undefined]> = [
      ["/api/admin/prompts/sentiment@v4/start-canary", { reason: "sneaky" }],
      ["/api/admin/prompts/sentiment@v4/promote", { reason: "sneaky" }],
      ["/api/admin/prompts/sentiment@v1/retire", { reason: "sneaky" }],
      ["/api/admin/prompts/sentiment@v1/rollback", { reason: "sneaky" }],
      ["/api/admin/prompts", { task: "sentiment", version: "v9", system: "x" }],
      ["/api/admin/rollouts/evaluate", undefined],
    ];
    for (const headers of [
      {},
      { authorization: "Bearer wrong-token-0123456789abc" },
      { authorization: "Basic x" },
    ]) {
      for (const [url, payload] of attempts) {
        const options: InjectOptions = { method: "POST", url, headers };
        if (payload !== undefined) options.payload = payload;
        const response = await rollout.app.server.inject(options);
        expect(response.statusCode, url).toBe(401);
        expect(response.json()).toMatchObject({ error: { code: "UNAUTHORIZED" } });
      }
    }
    expect((await rollout.admin("GET", "/api/admin/prompts?task=sentiment")).body).toBe(before);
    expect((await rollout.classify("visitor-0")).promptVersion).toBe("sentiment@v1");
  });

  it("lets an operator promote by hand and roll back to the last stable version", async () => {
    const started = await rollout.admin("POST", "/api/admin/prompts/sentiment@v4/start-canary", {
      reason: "second try",
    });
    expect(started.statusCode, started.body).toBe(200);
    // Nobody labelled the canary's answers yet: promotion without evidence needs an explicit force.
    const refused = await rollout.admin("POST", "/api/admin/prompts/sentiment%40v4/promote", {
      reason: "reviewed by hand",
      actor: "dashboard",
    });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json()).toMatchObject({
      error: { code: "EVIDENCE_INSUFFICIENT", details: { trials: 0, stagePassed: false } },
    });
    // The version id URL-encoded, actor "dashboard", force with the reason.
    const promoted = await rollout.admin("POST", "/api/admin/prompts/sentiment%40v4/promote", {
      reason: "reviewed by hand",
      actor: "dashboard",
      force: true,
    });
    expect(promoted.statusCode, promoted.body).toBe(200);
    expect(promoted.json()).toMatchObject({
      experiment: {
        status: "promoted",
        decisions: [
          { action: "promote", reasonCode: "operator_override", actor: "api:dashboard" },
          { action: "start" },
        ],
      },
    });
    expect((await rollout.classify("visitor-7")).promptVersion).toBe("sentiment@v4");
    expect(await rollout.statusOf("sentiment@v1")).toBe("pending_retirement");

    const rolledBack = await rollout.admin("POST", "/api/admin/prompts/sentiment@v4/rollback", {
      reason: "complaints",
    });
    expect(rolledBack.statusCode, rolledBack.body).toBe(200);
    expect((await rollout.classify("visitor-7")).promptVersion).toBe("sentiment@v1");
    expect(await rollout.statusOf("sentiment@v1")).toBe("active");
    expect(await rollout.statusOf("sentiment@v4")).toBe("retired");
    // Both retired versions stay retired: retirement is per version, not one label.
    expect(await rollout.statusOf("sentiment@v3")).toBe("retired");

    const shown = (await rollout.admin("GET", "/api/admin/prompts/sentiment@v4")).json<{
      moves: Array<{ label: string; actor: string; reason: string }>;
    }>();
    expect(shown.moves.map((m) => [m.label, m.actor])).toEqual([
      ["canary", "api:admin"],
      ["active", "api:dashboard"],
      ["canary", "api:dashboard"],
      ["retired", "api:admin"],
      ["active", "api:admin"],
    ]);
    expect(shown.moves.at(-1)!.reason).toContain("complaints");
  });

  it("answers bad label moves with stable 4xx codes", async () => {
    const cases: Array<[string, object, number, string]> = [
      ["/api/admin/prompts/sentiment@v404/promote", { reason: "x" }, 404, "PROMPT_VERSION_NOT_FOUND"],
      ["/api/admin/prompts/sentiment@v1/promote", { reason: "x" }, 409, "ROLLOUT_CONFLICT"],
      ["/api/admin/prompts/sentiment@v1/retire", { reason: "x" }, 409, "ROLLOUT_CONFLICT"],
      ["/api/admin/prompts/sentiment@v3/retire", { reason: "x" }, 409, "ROLLOUT_CONFLICT"],
      ["/api/admin/prompts/chat@v1/start-canary", { reason: "x" }, 409, "ROLLOUT_CONFLICT"],
      ["/api/admin/prompts/sentiment@v4/promote", {}, 400, "VALIDATION_FAILED"],
      ["/api/admin/prompts/not-a-version/promote", { reason: "x" }, 400, "VALIDATION_FAILED"],
      [
        "/api/admin/prompts",
        { task: "sentiment", version: "v1", system: "changed" },
        409,
        "PROMPT_VERSION_CONFLICT",
      ],
      ["/api/admin/prompts", { task: "Bad Task", version: "v1" }, 400, "VALIDATION_FAILED"],
      ["/api/admin/prompts", { task: "newtask", version: "v1", system: "x" }, 400, "VALIDATION_FAILED"],
    ];
    for (const [url, payload, status, code] of cases) {
      const response = await rollout.admin("POST", url, payload);
      expect(response.statusCode, `${url} ${response.body}`).toBe(status);
      expect(response.json()).toMatchObject({ error: { code } });
    }
    expect((await rollout.classify("visitor-9")).promptVersion).toBe("sentiment@v1");
  });

  it("publishes the registry and rollout routes in the OpenAPI document, behind the bearer token", async () => {
    const spec = (await rollout.app.server.inject({ method: "GET", url: "/docs/json" })).json<{
      paths: Record<string, Record<string, { tags?: string[]; security?: unknown[] }>>;
    }>();
    for (const [route, method, tag] of [
      ["/api/admin/prompts", "post", "prompts"],
      ["/api/admin/prompts/{id}", "get", "prompts"],
      ["/api/admin/prompts/{id}/promote", "post", "prompts"],
      ["/api/admin/prompts/diff", "get", "prompts"],
      ["/api/admin/prompts/export", "get", "prompts"],
      ["/api/admin/rollouts", "get", "rollouts"],
      ["/api/admin/rollouts/evaluate", "post", "rollouts"],
    ] as const) {
      expect(spec.paths[route]?.[method], `${method} ${route}`).toMatchObject({
        tags: [tag],
        security: [{ bearerAuth: [] }],
      });
    }
  });
});
