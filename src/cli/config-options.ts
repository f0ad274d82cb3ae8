import type { Command } from "commander";
import { loadConfig, type Config, type RawConfig } from "../config.js";

/** Shared flags; each overrides the environment variable of the same meaning. */
export function withConfigOptions(command: Command): Command {
  return command
    .option("--data-dir <dir>", "data folder (env DATA_DIR, default ./data)")
    .option("--prompts-dir <dir>", "prompt files folder (env PROMPTS_DIR, default ./prompts)");
}

export function configFromOptions(
  options: Record<string, string | undefined>,
  extra: Partial<RawConfig> = {},
): Config {
  const overrides: Partial<RawConfig> = { ...extra };
  if (options.dataDir) overrides.DATA_DIR = options.dataDir;
  if (options.promptsDir) overrides.PROMPTS_DIR = options.promptsDir;
  return loadConfig(process.env, overrides);
}
