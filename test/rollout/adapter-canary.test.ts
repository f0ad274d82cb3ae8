import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTinyLoraGguf } from "../support/gguf/tiny-lora.js";
import { startRolloutApp, type RolloutApp } from "./rollout-test-client.js";

/**
 * A version with a LoRA adapter canaries beside the base version on the real engine (tiny GGUF + tiny adapter):
 * sessions stick to their arm, the adapter arm is served from its own context (other probabilities for the same
 * text), and versions whose adapter can't be served fail alone while the others keep serving.
 */
describe("an adapter version canaries beside the base version on the real engine", () => {
  let rollout: RolloutApp;

  beforeAll(async () => {
    rollout = await startRolloutApp({ MAX_ADAPTERS: 1 });
  });
  afterAll(() => rollout.app.close());

  const classify = async (sessionId: string, text: string) => {
    const response = await rollout.app.server.inject({
      method: "POST",
      url: "/api/sentiment",
      payload: { text, sessionId },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ promptVersion: string; confidence: number }>();
  };

  it("routes sessions stickily between the base version and the adapter version", async () => {
    const adapter = await createTinyLoraGguf();
    const { version } = await rollout.app.registry.create(
      { task: "sentiment", version: "v2", adapter: { path: adapter, scale: 1 } },
      { actor: "test" },
    );
    expect(version.definition.adapter).toMatchObject({ path: adapter, scale: 1 });
    const started = await rollout.admin("POST", "/api/admin/prompts/sentiment@v2/start-canary", {
      reason: "LoRA pilot",
      actor: "alice",
    });
    expect(started.statusCode, started.body).toBe(200);

    const text = "这家酒店的房间很干净";
    const seen = new Map<string, { promptVersion: string; confidence: number }>();
    for (let i = 0; i < 80 && new Set([...seen.values()].map((s) => s.promptVersion)).size < 2; i++) {
      seen.set(`user-${i}`, await classify(`user-${i}`, text));
    }
    const byVersion = new Map<string, Array<{ confidence: number }>>();
    for (const answer of seen.values()) {
      byVersion.set(answer.promptVersion, [...(byVersion.get(answer.promptVersion) ?? []), answer]);
    }
    expect([...byVersion.keys()].sort()).toEqual(["sentiment@v1", "sentiment@v2"]);
    // Same text, same prompt: the adapter arm answers from the adapted weights.
    const base = byVersion.get("sentiment@v1")![0]!.confidence;
    const adapted = byVersion.get("sentiment@v2")![0]!.confidence;
    expect(Math.abs(base - adapted)).toBeGreaterThan(1e-6);
    // Sticky: every session gets its version again, with the same answer.
    for (const [sessionId, first] of seen) {
      const again = await classify(sessionId, text);
      expect(again.promptVersion).toBe(first.promptVersion);
      expect(again.confidence).toBeCloseTo(first.confidence, 5);
    }
  });

  it("refuses an adapter context beyond MAX_ADAPTERS while the base version keeps serving", async () => {
    const other = await createTinyLoraGguf({ seed: 2 });
    await rollout.app.registry.create(
      { task: "sentiment", version: "v3", parentId: "sentiment@v1", adapter: { path: other } },
      { actor: "test" },
    );
    await expect(
      rollout.app.tasks!.classify({
        task: "sentiment",
        text: "不错",
        sessionId: "pinned",
        versionId: "sentiment@v3",
      }),
    ).rejects.toMatchObject({ code: "ADAPTER_LIMIT_REACHED" });
    const base = await rollout.app.tasks!.classify({
      task: "sentiment",
      text: "不错",
      sessionId: "pinned",
      versionId: "sentiment@v1",
    });
    expect(base.promptVersion).toBe("sentiment@v1");
  });
});
