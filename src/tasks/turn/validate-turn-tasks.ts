import { AppError } from "../../errors.js";
import { findTask } from "../task-catalog.js";
import type { TaskDirectory } from "../task-directory.js";
import { turnClassifierTasks, type TurnSettings } from "./classify-turn.js";

/**
 * Start-up check of TURN_CLASSIFIERS and MODERATION_*: every task the turn runs must be served and be a
 * classifier, and the moderation task must declare which labels flag, or the policy could never act.
 */
export async function validateTurnTasks(directory: TaskDirectory, settings: TurnSettings): Promise<void> {
  const problems: string[] = [];
  for (const task of turnClassifierTasks(settings)) {
    const variable = settings.classifiers.includes(task) ? "TURN_CLASSIFIERS" : "MODERATION_TASK";
    const info = await findTask(directory, task);
    if (!info) problems.push(`${variable}: task ${task} has no active prompt version (add a prompt file)`);
    else if (info.kind !== "classifier") problems.push(`${variable}: task ${task} is a generator`);
    else if (task === settings.moderationTask && settings.moderationPolicy !== "off" && !info.flagLabels) {
      problems.push(
        `MODERATION_TASK: task ${task} declares no flagLabels, so MODERATION_POLICY=${settings.moderationPolicy} could never act`,
      );
    }
  }
  if (problems.length > 0) {
    throw new AppError("CONFIG_INVALID", `Invalid configuration:\n  ${problems.join("\n  ")}`);
  }
}
