import { AppError, isAppError } from "../errors.js";
import { activeVersionId } from "../prompts/prompt-label.js";
import type { PromptStore } from "../prompts/store/prompt-store.js";
import type { TaskService } from "../tasks/task-service.js";
import {
  answersDiffer,
  summarisePlayground,
  type PlaygroundAnswer,
  type PlaygroundRow,
  type PlaygroundSummary,
} from "./core/playground-summary.js";
import type { PlaygroundRequest } from "./playground-request.js";

/** What a run compares, known before its first input runs. */
export interface PlaygroundStart {
  task: string;
  kind: "classifier" | "generator";
  baselineId: string;
  candidateId: string;
  total: number;
}

export interface PlaygroundResult extends PlaygroundStart {
  rows: PlaygroundRow[];
  summary: PlaygroundSummary;
}

export interface PlaygroundDeps {
  tasks: Pick<TaskService, "classify" | "reply" | "kindOf">;
  prompts: Pick<PromptStore, "listLabels">;
  /** A generator's reply limit when the request sets none. */
  defaultMaxTokens: number;
}

/** These stop the whole run: the engine refuses more work now, or the operator left. */
const stopsTheRun = (error: unknown) =>
  isAppError(error) && (error.code === "ENGINE_BUSY" || error.code === "CLIENT_CLOSED");

const taskOf = (versionId: string) => versionId.slice(0, versionId.indexOf("@"));

/**
 * Runs every input on the candidate and on the baseline, one model call at a time, through the task service with
 * each version pinned and nothing recorded (playground trials are not traffic). Live requests share the engine's
 * admission queue: ENGINE_BUSY stops the run and reaches the caller as such.
 */
export async function runPlayground(
  deps: PlaygroundDeps,
  request: PlaygroundRequest,
  options: {
    signal?: AbortSignal;
    onStart?: (start: PlaygroundStart) => void;
    onRow?: (row: PlaygroundRow, summary: PlaygroundSummary) => void;
  } = {},
): Promise<PlaygroundResult> {
  const task = taskOf(request.versionId);
  const baselineId = request.baselineId ?? activeVersionId(await deps.prompts.listLabels(task), task);
  if (baselineId === undefined) {
    throw new AppError(
      "PROMPT_VERSION_NOT_FOUND",
      `Task ${task} has no active version to compare with: choose baselineId`,
    );
  }
  if (taskOf(baselineId) !== task) {
    throw new AppError(
      "VALIDATION_FAILED",
      `${baselineId} is not a version of ${task}, as ${request.versionId} is`,
    );
  }
  const kind = await deps.tasks.kindOf({ task, versionId: request.versionId });
  if ((await deps.tasks.kindOf({ task, versionId: baselineId })) !== kind) {
    throw new AppError(
      "WRONG_TASK_KIND",
      `${baselineId} and ${request.versionId} are not the same kind of task`,
    );
  }
  const start = { task, kind, baselineId, candidateId: request.versionId, total: request.inputs.length };
  options.onStart?.(start);
  const maxTokens = request.maxTokens ?? deps.defaultMaxTokens;

  const answer = async (versionId: string, input: string): Promise<PlaygroundAnswer> => {
    try {
      if (kind === "classifier") {
        const outcome = await deps.tasks.classify({
          task,
          text: input,
          versionId,
          record: false,
          ...(options.signal && { signal: options.signal }),
        });
        return { label: outcome.label, confidence: outcome.confidence };
      }
      let reply = "";
      for await (const part of deps.tasks.reply({
        task,
        messages: [{ role: "user", content: input }],
        versionId,
        maxTokens,
        record: false,
        ...(options.signal && { signal: options.signal }),
      })) {
        if (part.type === "done") reply = part.reply;
      }
      return { reply };
    } catch (error) {
      if (stopsTheRun(error) || !isAppError(error)) throw error;
      return { error: { code: error.code, message: error.message } };
    }
  };

  const rows: PlaygroundRow[] = [];
  for (const [index, item] of request.inputs.entries()) {
    const candidate = await answer(request.versionId, item.input);
    const baseline = await answer(baselineId, item.input);
    const row = {
      index,
      input: item.input,
      expected: item.expected ?? null,
      baseline,
      candidate,
      differ: answersDiffer(baseline, candidate),
    };
    rows.push(row);
    options.onRow?.(row, summarisePlayground(rows));
  }
  return { ...start, rows, summary: summarisePlayground(rows) };
}
