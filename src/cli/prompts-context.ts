import os from "node:os";
import type { Command } from "commander";
import type { RegistryService } from "../prompts/registry-service.js";
import type { RolloutService } from "../rollout/service/rollout-service.js";
import { createServices } from "../services.js";
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
  const services = await createServices(config, {
    loadModel: false,
    syncPromptFiles: settings.syncPromptFiles !== false,
  });
  try {
    const actor = typeof options.actor === "string" ? options.actor : `cli:${os.userInfo().username}`;
    return await action({ registry: services.registry, rollout: services.rollout, actor });
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
