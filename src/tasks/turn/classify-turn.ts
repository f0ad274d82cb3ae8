import type { TaskVersion } from "../task-directory.js";
import type { ClassificationOutcome, TaskService } from "../task-service.js";
import { decideModeration, type ModerationPolicy, type ModerationVerdict } from "./moderation-policy.js";

/** Which classifiers an all-in-one turn runs on its input, and how it moderates (TURN_CLASSIFIERS, MODERATION_*). */
export interface TurnSettings {
  /** Classifier tasks run on every turn's input, in display order. */
  classifiers: readonly string[];
  moderationTask: string;
  moderationPolicy: ModerationPolicy;
}

/** One classification of a turn's input, named by its task. */
export interface TurnClassification extends ClassificationOutcome {
  task: string;
}

/** Everything the turn learned about its input before the reply. */
export interface TurnClassifications {
  classifications: TurnClassification[];
  /** Null when the policy is off and the moderation task is not among the turn's classifiers. */
  moderation: ModerationVerdict | null;
}

/** The classifiers a turn runs: the configured ones, plus the moderation task whenever a policy needs it. */
export function turnClassifierTasks(settings: TurnSettings): string[] {
  const tasks = [...settings.classifiers];
  if (settings.moderationPolicy !== "off" && !tasks.includes(settings.moderationTask)) {
    tasks.push(settings.moderationTask);
  }
  return tasks;
}

/** A classification as clients see it: the engine's internals (the prompt's token count) stay on the server. */
export type PublicTurnClassification = Omit<TurnClassification, "promptTokens">;

/** The turn as /api/analyze sends it, in JSON and in its `classifications` event alike (docs/api.md). */
export function publicTurn(turn: TurnClassifications): {
  classifications: PublicTurnClassification[];
  moderation: ModerationVerdict | null;
} {
  return {
    classifications: turn.classifications.map(({ promptTokens: _internal, ...shown }) => shown),
    moderation: turn.moderation,
  };
}

/**
 * Runs every classifier of the turn at once: each takes its own sequence and the engine decodes them in one
 * shared batch, so three classifiers cost far less than three requests one after another. A failure of any of
 * them fails the turn (before anything was sent), as the sentiment classification always did.
 */
export async function classifyTurn(
  deps: { tasks: TaskService; versionById: (id: string) => Promise<TaskVersion> },
  settings: TurnSettings,
  request: { text: string; sessionId?: string | undefined; signal?: AbortSignal | undefined },
): Promise<TurnClassifications> {
  const classifications = await Promise.all(
    turnClassifierTasks(settings).map(async (task) => ({
      task,
      ...(await deps.tasks.classify({ task, ...request })),
    })),
  );
  const moderated = classifications.find((c) => c.task === settings.moderationTask);
  let moderation: ModerationVerdict | null = null;
  if (moderated) {
    const { definition } = await deps.versionById(moderated.promptVersion);
    moderation = decideModeration({
      task: moderated.task,
      policy: settings.moderationPolicy,
      interactionId: moderated.interactionId,
      label: moderated.label,
      labels: definition.labels ?? [],
      flagLabels: definition.flagLabels ?? [],
    });
  }
  return { classifications, moderation };
}
