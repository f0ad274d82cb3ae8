import os from "node:os";
import type { Command } from "commander";
import type { PromptStore } from "../prompts/store/prompt-store.js";
import type { RegistryService } from "../prompts/registry-service.js";
import type { RolloutService } from "../rollout/service/rollout-service.js";
import { createServices } from "../services.js";
import { configFromOptions, withConfigOptions } from "./config-options.js";

/** What a `prompts` subcommand works with: DATA_DIR's database, like the running service (no model needed). */
export interface PromptsContext {
  registry: RegistryService;
  rollout: RolloutService;
  /** The registry's store, for read-only checks such as whether a `--task` exists. */
  prompts: PromptStore;
  /** `--actor`, or `cli:<user>`: recorded with every change. */
  actor: string;
}

/**
 * Flags every registry subcommand takes: the config flags and `--json`; commands that change something (`writes`)
 * also take `--actor`, read-only ones don't advertise it.
 */
export function withPromptsOptions(command: Command, settings: { writes: boolean }): Command {
  const withConfig = withConfigOptions(command);
  if (settings.writes)
    withConfig.option("--actor <name>", "who acts, recorded with the change (default cli:<user>)");
  return withConfig.option("--json", "print JSON instead of text");
}

/**
 * Opens DATA_DIR's existing database (DATABASE_NOT_FOUND when there is none, unless `createDatabase`: `promptloop
 * init` makes one), loads new prompt files first as `serve` does (unless `syncPromptFiles` is false), runs
 * `action`, and closes it.
 * Safe while the service runs: SQLite serialises the writes, the router reads labels per request, and the
 * rollout store refuses a change planned on state that moved meanwhile.
 */
export async function withPromptsContext<T>(
  options: Record<string, unknown>,
  action: (context: PromptsContext) => Promise<T>,
  settings: { syncPromptFiles?: boolean; createDatabase?: boolean } = {},
): Promise<T> {
  const config = configFromOptions(options as Record<string, string | undefined>);
  const services = await createServices(config, {
    loadModel: false,
    createDatabase: settings.createDatabase === true,
    syncPromptFiles: settings.syncPromptFiles !== false,
  });
  try {
    const actor = typeof options.actor === "string" ? options.actor : `cli:${os.userInfo().username}`;
    return await action({
      registry: services.registry,
      rollout: services.rollout,
      prompts: services.stores.prompts,
      actor,
    });
  } finally {
    await services.close();
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
