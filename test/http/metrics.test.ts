import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeLlmBackend } from "../../src/engine/fake-llm-backend.js";
import type { App } from "../../src/server/create-app.js";
import { startTestApp, testAdminToken } from "../support/test-app.js";

/** Issue 15 item 6: Prometheus metrics at /metrics, counted from real traffic through the whole app. */
const metricValue = (text: string, name: string, labels: Record<string, string> = {}) => {
  const line = text
    .split("\n")
    .find(
      (l) =>
        (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) &&
        Object.entries(labels).every(([key, value]) => l.includes(`${key}="${value}"`)),
    );
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
};

describe("GET /metrics", () => {
  let app: App;
  beforeAll(async () => {
    app = await startTestApp({ ANALYSIS_CRON: "" }, { backend: new FakeLlmBackend() });
  });
  afterAll(() => app.close());

  it("counts requests by route, answers by task/version/arm, tokens, feedback by type, analysis runs and the queue", async () => {
    const answer = (
      await app.server.inject({
        method: "POST",
        url: "/api/sentiment",
        payload: { text: "很好吃", sessionId: "metrics-user" },
      })
    ).json<{ interactionId: string; feedbackToken: string }>();
    await app.server.inject({
      method: "POST",
      url: "/api/chat",
      payload: { messages: [{ role: "user", content: "你好" }], stream: false },
    });
    const feedback = await app.server.inject({
      method: "POST",
      url: "/api/feedback",
      payload: {
        interactionId: answer.interactionId,
        feedbackToken: answer.feedbackToken,
        sessionId: "metrics-user",
        type: "dwell",
        ms: 1200,
      },
    });
    expect(feedback.statusCode).toBe(202);
    const analysis = await app.server.inject({
      method: "POST",
      url: "/api/admin/analyze",
      headers: { authorization: `Bearer ${testAdminToken}` },
      payload: {},
    });
    expect(analysis.statusCode).toBeLessThan(300);

    const response = await app.server.inject({ method: "GET", url: "/metrics" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toContain("text/plain");
    const text = response.body;
    expect(
      metricValue(text, "promptloop_http_requests_total", {
        route: "/api/sentiment",
        method: "POST",
        status: "200",
      }),
    ).toBe(1);
    expect(
      metricValue(text, "promptloop_interactions_total", {
        task: "sentiment",
        version: "sentiment@v1",
        arm: "none",
        status: "ok",
      }),
    ).toBe(1);
    expect(metricValue(text, "promptloop_interactions_total", { task: "chat", status: "ok" })).toBe(1);
    expect(metricValue(text, "promptloop_interaction_duration_seconds_count", { task: "sentiment" })).toBe(1);
    expect(metricValue(text, "promptloop_feedback_events_total", { type: "dwell" })).toBe(1);
    expect(metricValue(text, "promptloop_prompt_tokens_total", { kind: "classify" })).toBeGreaterThan(0);
    expect(metricValue(text, "promptloop_generated_tokens_total")).toBeGreaterThan(0);
    expect(metricValue(text, "promptloop_analysis_run_duration_seconds_count")).toBe(1);
    expect(text).toMatch(/promptloop_analysis_runs_total\{status="(completed|skipped)"\} 1/);
    expect(metricValue(text, "promptloop_engine_queue_depth", { class: "generate" })).toBe(0);
    expect(metricValue(text, "promptloop_engine_busy_sequences", { class: "classify" })).toBe(0);
    expect(metricValue(text, "promptloop_engine_sequences")).toBe(1);
    expect(metricValue(text, "promptloop_engine_refused_total", { why: "queue_full" })).toBe(0);
    expect(metricValue(text, "promptloop_engine_refused_total", { why: "expected_wait" })).toBe(0);
    // The served sentiment and chat calls were measured: an estimate per class, and no wait on an idle engine.
    for (const cls of ["classify", "generate"]) {
      expect(
        metricValue(text, "promptloop_engine_service_time_seconds", { class: cls }),
      ).toBeGreaterThanOrEqual(0);
      expect(metricValue(text, "promptloop_engine_expected_wait_seconds", { class: cls })).toBe(0);
    }
    expect(text).toContain("# TYPE promptloop_rollout_decisions_total counter");
    // No ids or user data in labels.
    expect(text).not.toContain(answer.interactionId);
    expect(text).not.toContain("metrics-user");
  });
});

describe("METRICS_TOKEN", () => {
  let app: App;
  const token = "metrics-token-0123456789";
  beforeAll(async () => {
    app = await startTestApp({ METRICS_TOKEN: token }, { backend: new FakeLlmBackend() });
  });
  afterAll(() => app.close());

  it("guards /metrics when set", async () => {
    const refused = await app.server.inject({ method: "GET", url: "/metrics" });
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ error: { code: "UNAUTHORIZED" } });
    const wrong = await app.server.inject({
      method: "GET",
      url: "/metrics",
      headers: { authorization: "Bearer wrong-token-0123456789" },
    });
    expect(wrong.statusCode).toBe(401);
    const ok = await app.server.inject({
      method: "GET",
      url: "/metrics",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain("promptloop_http_requests_total");
  });
});
