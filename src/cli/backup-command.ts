import path from "node:path";
import { Command } from "commander";
import { AppError } from "../errors.js";
import { databaseFileName } from "../storage/sqlite/open-sqlite-database.js";
import { backupSqliteDatabase } from "../storage/sqlite/sqlite-maintenance.js";
import { configFromOptions, withConfigOptions } from "./config-options.js";
import { runCommand } from "./run-command.js";

export function backupCommand(): Command {
  return withConfigOptions(new Command("backup"))
    .description("make an online backup of DATA_DIR's database (safe while the service runs) and check it")
    .argument("<file>", "where to write the backup (must not exist)")
    .option("--json", "print the result as JSON")
    .action(
      runCommand(async (file: string, options: Record<string, string | boolean | undefined>) => {
        const config = configFromOptions(options as Record<string, string | undefined>);
        if (config.databaseUrl !== "") {
          throw new AppError(
            "VALIDATION_FAILED",
            "DATABASE_URL is set: back up PostgreSQL with pg_dump (see docs/operations.md)",
          );
        }
        const live = path.join(config.dataDir, databaseFileName);
        const started = Date.now();
        const result = await backupSqliteDatabase(live, path.resolve(file), (done, total) => {
          if (!options.json && process.stderr.isTTY) process.stderr.write(`\rbackup: ${done}/${total} pages`);
        });
        const summary = {
          file: path.resolve(file),
          bytes: result.bytes,
          pages: result.pages,
          ms: Date.now() - started,
        };
        if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
        else
          process.stdout.write(
            `backup written and checked: ${summary.file} (${summary.bytes} bytes, ${summary.ms} ms)\n`,
          );
      }),
    );
}
