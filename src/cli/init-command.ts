import { Command } from "commander";
import { isAppError } from "../errors.js";
import { readPromptDirectory } from "../prompts/prompt-directory.js";
import { syncPromptFiles } from "../prompts/sync-prompt-files.js";
import { createServices, type Services } from "../services.js";
import { configFromOptions, withConfigOptions } from "./config-options.js";
import { runCommand } from "./run-command.js";

/** Opens the configured database if it exists; undefined when there is none yet. */
async function openExisting(config: Parameters<typeof createServices>[0]): Promise<Services | undefined> {
  try {
    return await createServices(config, { loadModel: false, syncPromptFiles: false, createDatabase: false });
  } catch (error) {
    if (isAppError(error) && error.code === "DATABASE_NOT_FOUND") return undefined;
    throw error;
  }
}

/**
 * `promptloop init`: creates DATA_DIR's database (or DATABASE_URL's schema) and loads PROMPTS_DIR's prompt files,
 * without a model. Every other command but `serve` and `prompts import` needs the database to exist already.
 */
export function initCommand(): Command {
  return withConfigOptions(new Command("init"))
    .description(
      "create the database (DATA_DIR, or DATABASE_URL's schema) and load the prompt files; safe to run again",
    )
    .option("--json", "print the result as JSON")
    .action(
      runCommand(async (options: Record<string, string | boolean | undefined>) => {
        const config = configFromOptions(options as Record<string, string | undefined>);
        const definitions = await readPromptDirectory(config.promptsDir);
        const existing = await openExisting(config);
        const services =
          existing ?? (await createServices(config, { loadModel: false, syncPromptFiles: false }));
        try {
          const synced = await syncPromptFiles(services.stores.prompts, definitions, Date.now());
          const result = {
            database: services.database.location,
            dialect: services.database.dialect,
            created: existing === undefined,
            promptVersions: { created: synced.created.length, unchanged: synced.unchanged.length },
          };
          process.stdout.write(
            options.json
              ? `${JSON.stringify(result)}\n`
              : `${result.created ? "created" : "already there"}: ${result.database} (${result.dialect})\n` +
                  `prompt files: ${result.promptVersions.created} new, ${result.promptVersions.unchanged} ` +
                  `unchanged versions\n`,
          );
        } finally {
          await services.close();
        }
      }),
    );
}
