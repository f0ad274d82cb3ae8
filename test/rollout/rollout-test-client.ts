import type { InjectOptions } from "fastify";
import { expect } from "vitest";
import type { App } from "../../src/server/create-app.js";
import type { RawConfig } from "../../src/config.js";
import { adminHeaders, startTestApp } from "../support/test-app.js";

export const hour = 3_600_000;

/**
 * The rollout policy of the end-to-end tests, passed as ROLLOUT_POLICY over ROLLOUT_PRESET=strict: every stage
 * (10% → 50% → 100%, 72 h each) must show a significant improvement, which exercises the whole ramp through the
 * HTTP API (the default balanced preset's safety stage is covered by the service and core tests). The guardrails
 * stay; only the sample sizes shrink, so that a few hundred requests on the
 * tiny model can decide, and the promotion test's τ is tuned to the large effects these tests script.
 * The label-shift guardrail needs more samples than the tests send: the random tiny model's label mix depends on
 * the prompt text, which has nothing to do with what these scenarios show.
 */
export const endToEndPolicy = {
  // These scenarios check what everybody gets after a switch; the holdback after a promotion has its own
  // end-to-end test (holdback-end-to-end.test.ts).
  holdbackShare: 0,
  minimumLabelledPerArm: 25,
  promotion: { mixtureStandardDeviation: 0.2 },
  guardrails: {
    errorRate: { minimumTrialsPerArm: 20 },
    exitRate: { minimumTrialsPerArm: 20 },
    negativeFeedbackRate: { minimumTrialsPerArm: 20 },
    labelShift: { minimumTrialsPerArm: 100_000 },
  },
};

/** A clock the test moves by hand; the app reads it for every timestamp and decision. */
export function createManualClock(start = Date.parse("2026-03-02T09:00:00Z")) {
  let time = start;
  return {
    now: () => time,
    advance(ms: number) {
      time += ms;
    },
  };
}

export interface Classified {
  interactionId: string;
  feedbackToken: string;
  label: string;
  promptVersion: string;
}

/** The real app on the tiny GGUF with a manual clock, and helpers that go through its HTTP API only. */
export async function startRolloutApp(overrides: Partial<RawConfig> = {}) {
  const clock = createManualClock();
  const app: App = await startTestApp(
    {
      ROLLOUT_CRON: "off",
      ROLLOUT_PRESET: "strict",
      ROLLOUT_POLICY: JSON.stringify(endToEndPolicy),
      ...overrides,
    },
    { now: clock.now },
  );
  const admin = async (method: "GET" | "POST", url: string, payload?: object) => {
    const options: InjectOptions = { method, url, headers: adminHeaders };
    if (payload !== undefined) options.payload = payload;
    return app.server.inject(options);
  };

  return {
    app,
    clock,
    admin,
    /** POST /api/sentiment; every request in these tests must succeed. */
    async classify(sessionId: string, text = `这家酒店的房间${sessionId}`): Promise<Classified> {
      const response = await app.server.inject({
        method: "POST",
        url: "/api/sentiment",
        payload: { text, sessionId },
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.json<Classified>();
    },
    /** POST /api/feedback. */
    async feedback(payload: Record<string, unknown>) {
      const response = await app.server.inject({ method: "POST", url: "/api/feedback", payload });
      expect(response.statusCode, response.body).toBe(202);
    },
    /** Scripted label feedback: a correction to the other label (wrong) or a 👍 (right). */
    async judge(classified: Classified, correct: boolean, sessionId: string) {
      const { interactionId, feedbackToken } = classified;
      await this.feedback(
        correct
          ? { interactionId, feedbackToken, type: "label_confirm", correct: true, sessionId }
          : {
              interactionId,
              feedbackToken,
              type: "label_correct",
              label: classified.label === "正面" ? "负面" : "正面",
              sessionId,
            },
      );
    },
    async evaluate() {
      const response = await admin("POST", "/api/admin/rollouts/evaluate");
      expect(response.statusCode, response.body).toBe(200);
      return response.json<{
        decisions: Array<{ action: string; reasonCode: string; reason: string }>;
        failures: unknown[];
        holdbacks: Array<{ experimentId: string; action: string; reasonCode: string; reason: string }>;
        retired: string[];
      }>();
    },
    async statusOf(versionId: string): Promise<string> {
      const response = await admin("GET", `/api/admin/prompts/${versionId}`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json<{ version: { status: string } }>().version.status;
    },
  };
}

export type RolloutApp = Awaited<ReturnType<typeof startRolloutApp>>;
