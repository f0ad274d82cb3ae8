import os from "node:os";
import path from "node:path";
import type { Command } from "commander";
import { readPromptFiles } from "../prompts/prompt-file.js";
import { createRegistryService, type RegistryService } from "../prompts/registry-service.js";
import { createSqlitePromptStore } from "../prompts/store/sqlite-prompt-store.js";
import { syncPromptFiles } from "../prompts/sync-prompt-files.js";
import { createRolloutService, type RolloutService } from "../rollout/service/rollout-service.js";
import { createSqliteRolloutStore } from "../rollout/store/sqlite-rollout-store.js";
import { databaseFileName, openSqliteDatabase } from "../storage/sqlite/open-sqlite-database.js";
import { createSqliteInteractionStore } from "../feedback/store/sqlite-interaction-store.js";
import { configFromOptions, withConfigOptions } from "./config-options.js";

/** What a `prompts` subcommand works with: DATA_DIR's database, like the running service (no model needed). */
export interface PromptsContext {
  registry: RegistryService;
  rollout: RolloutService;
  /** `--actor`, or `cli:<user>`: recorded with every change. */
  actor: string;
}

/** Flags every registry subcommand takes: the config flags, `--actor` and `--json`. */
export function withPromptsOptions(command: Command): Command {
  return withConfigOptions(command)
    .option("--actor <name>", "who acts, recorded with the change (default cli:<user>)")
    .option("--json", "print JSON instead of text");
}

/**
 * Opens DATA_DIR's database (loading new prompt files first, as `serve` does, unless `syncPromptFiles` is
 * false), runs `action`, and closes it.
 * Safe while the service runs: SQLite serialises the writes, the router reads labels per request, and the
 * rollout store refuses a change planned on state that moved meanwhile.
 */
export async function withPromptsContext<T>(
  options: Record<string, unknown>,
  action: (context: PromptsContext) => Promise<T>,
  settings: { syncPromptFiles?: boolean } = {},
): Promise<T> {
  const config = configFromOptions(options as Record<string, string | undefined>);
  const database = await openSqliteDatabase(path.join(config.dataDir, databaseFileName));
  try {
    const prompts = createSqlitePromptStore(database.db);
    if (settings.syncPromptFiles !== false) {
      await syncPromptFiles(prompts, await readPromptFiles(config.promptsDir), Date.now());
    }
    const rollout = createRolloutService({
      prompts,
      rollouts: createSqliteRolloutStore(database.db),
      interactions: createSqliteInteractionStore(database.db),
      policy: config.rolloutPolicy,
      autoStartCanary: config.autoStartCanary,
      now: Date.now,
    });
    const actor = typeof options.actor === "string" ? options.actor : `cli:${os.userInfo().username}`;
    return await action({ registry: createRegistryService({ prompts, now: Date.now }), rollout, actor });
  } finally {
    await database.close();
  }
}

/** Prints `value` as JSON with `--json`, else the text `describe` makes of it. */
export function printResult<T>(
  options: Record<string, unknown>,
  value: T,
  describe: (value: T) => string,
): void {
  process.stdout.write(
    options.json ? `${JSON.stringify(value, null, 2)}\n` : `${describe(value).trimEnd()}\n`,
  );
}
