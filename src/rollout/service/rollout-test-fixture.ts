import { parseFeedbackBody } from "../../feedback/feedback-event.js";
import { createInMemoryPromptStore } from "../../prompts/store/in-memory-prompt-store.js";
import type { PromptStore } from "../../prompts/store/prompt-store.js";
import { createRolloutPolicy, type RolloutPolicyOverrides } from "../core/create-rollout-policy.js";
import { createInMemoryInteractionStore } from "../../feedback/store/in-memory-interaction-store.js";
import type { FeedbackType, Interaction, InteractionStore } from "../../feedback/store/interaction-store.js";
import type { PromptDefinition } from "../../tasks/prompt-definition.js";
import { createInMemoryRolloutStore } from "../store/in-memory-rollout-store.js";
import { createRolloutRouter } from "./rollout-router.js";
import { createRolloutService } from "./rollout-service.js";
import type { RolloutStore } from "../store/rollout-store.js";

/** The classifier every fixture starts from: sentiment@v1 active, v2 and v3 drafts. */
export const sentimentV1: PromptDefinition = {
  task: "sentiment",
  version: "v1",
  kind: "classifier",
  systemPrompt: "只输出'正面'或'负面'。",
  labels: ["正面", "负面"],
};

/** Seeds sentiment@v1 (active) and drafts v2, v3 derived from it. */
export async function seedSentimentRegistry(prompts: PromptStore, now = 0): Promise<void> {
  await prompts.saveVersion({ definition: sentimentV1, source: "file", createdAt: now });
  for (const version of ["v2", "v3"]) {
    await prompts.saveVersion({
      definition: { ...sentimentV1, version, systemPrompt: `${version}: 只输出'正面'或'负面'。` },
      parentId: "sentiment@v1",
      source: "human",
      createdAt: now,
    });
  }
  await prompts.moveLabels([{ task: "sentiment", label: "active", toVersionId: "sentiment@v1" }], {
    actor: "system",
    reason: "seed",
    now,
  });
}

/** The generator the fixtures also seed: chat@v1 active, v2 and v3 drafts. */
export const chatV1: PromptDefinition = {
  task: "chat",
  version: "v1",
  kind: "generator",
  systemPrompt: "你是一个乐于助人的助手。",
};

/** Seeds chat@v1 (active) and drafts v2, v3 derived from it. */
export async function seedChatRegistry(prompts: PromptStore, now = 0): Promise<void> {
  await prompts.saveVersion({ definition: chatV1, source: "file", createdAt: now });
  for (const version of ["v2", "v3"]) {
    await prompts.saveVersion({
      definition: { ...chatV1, version, systemPrompt: `${version}: 你是一个乐于助人的助手，回答简洁。` },
      parentId: "chat@v1",
      source: "human",
      createdAt: now,
    });
  }
  await prompts.moveLabels([{ task: "chat", label: "active", toVersionId: "chat@v1" }], {
    actor: "system",
    reason: "seed",
    now,
  });
}

/** One scripted interaction: which arm, and what the user did. */
export interface ScriptedInteraction {
  /** null: served outside any experiment (the active version to everyone). */
  experimentId: string | null;
  arm: "control" | "candidate" | null;
  versionId: string;
  sessionHash?: string | null;
  label?: string;
  status?: Interaction["status"];
  latencyMs?: number;
  /** Feedback types with payloads, in order. */
  feedback?: Array<{ type: FeedbackType; payload?: Record<string, unknown> }>;
  parentId?: string | null;
  /** Default "sentiment" (a classification); "chat" records a reply. */
  task?: "sentiment" | "chat";
  /** The user's message (default "文本"). */
  input?: string;
}

/**
 * The rollout service on in-memory fakes with a manual clock: the same code paths as production except SQLite.
 * `record` writes interactions the way the task service would have.
 */
export async function createRolloutFixture(
  options: { policy?: RolloutPolicyOverrides; autoStartCanary?: boolean; start?: number } = {},
) {
  let time = options.start ?? Date.parse("2026-04-01T00:00:00Z");
  const prompts = createInMemoryPromptStore();
  await seedSentimentRegistry(prompts, time);
  await seedChatRegistry(prompts, time);
  const interactions: InteractionStore = createInMemoryInteractionStore();
  const rollouts: RolloutStore = createInMemoryRolloutStore(prompts);
  let experimentCount = 0;
  const service = createRolloutService({
    prompts,
    rollouts,
    interactions,
    policy: createRolloutPolicy(options.policy ?? {}),
    autoStartCanary: options.autoStartCanary ?? true,
    now: () => time,
    newExperimentId: (task) => `exp-${task}-${++experimentCount}`,
  });
  let interactionCount = 0;
  return {
    prompts,
    interactions,
    rollouts,
    service,
    router: createRolloutRouter({ prompts, rollouts }),
    now: () => time,
    advanceHours(hours: number) {
      time += hours * 3_600_000;
    },
    /** Stores one interaction with its feedback, as served now; returns its id. */
    async record(spec: ScriptedInteraction): Promise<string> {
      const id = `i-${++interactionCount}`;
      const status = spec.status ?? "ok";
      const reply = spec.task === "chat";
      const output = reply ? "好的，这是我的回答。" : (spec.label ?? "正面");
      await interactions.record({
        id,
        task: spec.task ?? "sentiment",
        promptVersionId: spec.versionId,
        parentId: spec.parentId ?? null,
        sessionHash: spec.sessionHash === undefined ? `s-${interactionCount}` : spec.sessionHash,
        userHash: null,
        input: spec.input ?? "文本",
        output: status === "ok" ? output : null,
        label: status === "ok" && !reply ? (spec.label ?? "正面") : null,
        confidence: status === "ok" && !reply ? 0.9 : null,
        latencyMs: spec.latencyMs ?? 100,
        status,
        errorCode: status === "error" ? "ENGINE_FAILED" : null,
        experimentId: spec.experimentId,
        arm: spec.arm,
        createdAt: time,
        completedAt: time,
      });
      for (const event of spec.feedback ?? []) {
        await interactions.appendFeedback({
          interactionId: id,
          ...parseFeedbackBody(event.type, event.payload ?? {}),
          sessionHash: null,
          createdAt: time,
        });
      }
      return id;
    },
  };
}

export type RolloutFixture = Awaited<ReturnType<typeof createRolloutFixture>>;
