import path from "node:path";
import { Command } from "commander";
import { AppError } from "../errors.js";
import { databaseFileName } from "../storage/sqlite/open-sqlite-database.js";
import { restoreSqliteDatabase } from "../storage/sqlite/sqlite-maintenance.js";
import { configFromOptions, withConfigOptions } from "./config-options.js";
import { runCommand } from "./run-command.js";

export function restoreCommand(): Command {
  return withConfigOptions(new Command("restore"))
    .description(
      "replace DATA_DIR's database with a backup (stop the service first; the replaced file is kept beside it)",
    )
    .argument("<file>", "a backup made by `promptloop backup`")
    .option("--json", "print the result as JSON")
    .action(
      runCommand(async (file: string, options: Record<string, string | boolean | undefined>) => {
        const config = configFromOptions(options as Record<string, string | undefined>);
        if (config.databaseUrl !== "") {
          throw new AppError("VALIDATION_FAILED", "DATABASE_URL is set: restore PostgreSQL with pg_restore");
        }
        const live = path.join(config.dataDir, databaseFileName);
        const { keptAs } = await restoreSqliteDatabase(path.resolve(file), live, Date.now());
        const summary = { restored: live, from: path.resolve(file), previousKeptAs: keptAs };
        if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
        else
          process.stdout.write(
            `restored ${live} from ${summary.from}${keptAs ? `; the previous database is kept as ${keptAs}` : ""}\n`,
          );
      }),
    );
}
