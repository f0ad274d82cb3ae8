import type { Interaction } from "../interaction-store.js";

/**
 * A served sentiment interaction for the store tests: labelled 正面, no session, completed 12 ms after `createdAt`.
 * `overrides` set what a test is about.
 */
export function sampleInteraction(
  id: string,
  createdAt: number,
  overrides: Partial<Interaction> = {},
): Interaction {
  return {
    id,
    task: "sentiment",
    promptVersionId: "sentiment@v1",
    parentId: null,
    sessionHash: null,
    userHash: null,
    input: `input ${id}`,
    output: "正面",
    label: "正面",
    confidence: 0.75,
    latencyMs: 12.5,
    status: "ok",
    errorCode: null,
    experimentId: null,
    arm: null,
    createdAt,
    completedAt: createdAt + 12,
    ...overrides,
  };
}
