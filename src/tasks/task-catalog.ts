import { correctionReasons } from "../feedback/feedback-types.js";
import type { LocalizedName, PromptDefinition } from "./prompt-definition.js";
import type { TaskDirectory } from "./task-directory.js";

/** A classifier's feedback widgets with the defaults filled in. */
export interface ClassifierFeedbackWidgets {
  confirm: boolean;
  correct: boolean;
  reasons: string[];
  /** The task's own names for some of its reason tags; absent when it names none. */
  reasonNames?: Record<string, LocalizedName>;
  /** The label on which the page asks 答案正确吗? under the turn's reply; absent = never. */
  askAnswerCorrectWhen?: string;
}

/** A generator's feedback widgets with the defaults filled in. */
export interface GeneratorFeedbackWidgets {
  rating: boolean;
  edit: boolean;
}

/** One task as `GET /api/tasks` lists it: what it is, what it answers with, which version serves it. */
export type TaskInfo = {
  task: string;
  /** The active version, e.g. `intent@v1`; while a canary runs some requests get the candidate. */
  activeVersion: string;
  description?: string;
} & (
  | {
      kind: "classifier";
      labels: string[];
      /** Labels that flag an input as unsafe (moderation); absent when the task never flags. */
      flagLabels?: string[];
      feedback: ClassifierFeedbackWidgets;
    }
  | { kind: "generator"; feedback: GeneratorFeedbackWidgets }
);

/** Pure: the catalogue entry of a task from the definition of its active version. */
export function describeTask(definition: PromptDefinition, activeVersion: string): TaskInfo {
  const base = {
    task: definition.task,
    activeVersion,
    ...(definition.description !== undefined && { description: definition.description }),
  };
  const declared = definition.feedback ?? {};
  if (definition.kind === "generator") {
    return {
      ...base,
      kind: "generator",
      feedback: { rating: declared.rating ?? true, edit: declared.edit ?? true },
    };
  }
  return {
    ...base,
    kind: "classifier",
    labels: definition.labels ?? [],
    ...(definition.flagLabels && { flagLabels: definition.flagLabels }),
    feedback: {
      confirm: declared.confirm ?? true,
      correct: declared.correct ?? true,
      reasons: declared.reasons ?? [...correctionReasons],
      ...(declared.reasonNames !== undefined && { reasonNames: declared.reasonNames }),
      ...(declared.askAnswerCorrectWhen !== undefined && {
        askAnswerCorrectWhen: declared.askAnswerCorrectWhen,
      }),
    },
  };
}

/**
 * Every served task (one with an `active` version), by name. Read from the registry on each call, so a task
 * imported through the admin API is listed at once, without a restart.
 */
export async function listTasks(directory: TaskDirectory): Promise<TaskInfo[]> {
  const tasks = (await directory.activeVersions()).map((version) =>
    describeTask(version.definition, version.id),
  );
  return tasks.sort((a, b) => (a.task < b.task ? -1 : a.task > b.task ? 1 : 0));
}

/** One served task, or undefined when it has no active version. */
export async function findTask(directory: TaskDirectory, task: string): Promise<TaskInfo | undefined> {
  const version = await directory.activeVersion(task);
  return version && describeTask(version.definition, version.id);
}
