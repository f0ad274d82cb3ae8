import path from "node:path";
import { Command } from "commander";
import { AppError } from "../errors.js";
import { checksumTables, copyDatabase, type TableChecksum } from "../storage/copy-database.js";
import { openDatabase } from "../storage/open-database.js";
import type { OpenedDatabase } from "../storage/opened-database.js";
import { isPostgresUrl } from "../storage/postgres/describe-postgres-url.js";
import { openSqliteDatabase } from "../storage/sqlite/open-sqlite-database.js";
import { runCommand } from "./run-command.js";

/** `sqlite:<file>` or a `postgres://` URL. */
async function openLocation(location: string): Promise<OpenedDatabase> {
  if (location.startsWith("sqlite:"))
    return openSqliteDatabase(path.resolve(location.slice("sqlite:".length)));
  if (isPostgresUrl(location)) return openDatabase({ databaseUrl: location, dataDir: "." });
  throw new AppError("VALIDATION_FAILED", "--from and --to take sqlite:<file> or postgres://user:pw@host/db");
}

export function migrateDataCommand(): Command {
  return new Command("migrate-data")
    .description(
      "copy an install's database into another (e.g. SQLite into PostgreSQL) and prove with per-table checksums that " +
        "nothing was lost; the target must be empty and the service stopped",
    )
    .requiredOption(
      "--from <location>",
      "sqlite:<file>, e.g. sqlite:./data/promptloop.sqlite, or a postgres:// URL",
    )
    .requiredOption("--to <location>", "a postgres:// URL (or sqlite:<file>)")
    .option("--json", "print the checksums as JSON")
    .action(
      runCommand(async (options: { from: string; to: string; json?: boolean }) => {
        const from = await openLocation(options.from);
        try {
          const to = await openLocation(options.to);
          try {
            await copyDatabase(from, to, (table, rows) => {
              if (!options.json && process.stderr.isTTY) process.stderr.write(`\r${table}: ${rows} rows   `);
            });
            const [source, target] = [await checksumTables(from), await checksumTables(to)];
            const tables = source.map((sum, index) => ({
              table: sum.table,
              rows: sum.rows,
              source: sum.sha256,
              target: (target[index] as TableChecksum).sha256,
              match: sum.sha256 === target[index]?.sha256 && sum.rows === target[index]?.rows,
            }));
            const matched = tables.every((table) => table.match);
            if (options.json)
              process.stdout.write(
                `${JSON.stringify({ matched, from: from.location, to: to.location, tables })}\n`,
              );
            else {
              process.stdout.write(`copied ${from.location} → ${to.location}\n`);
              for (const t of tables) {
                process.stdout.write(
                  `${t.match ? "ok  " : "DIFF"} ${t.table.padEnd(20)} ${String(t.rows).padStart(9)} rows  sha256 ${t.source.slice(0, 16)}\n`,
                );
              }
            }
            if (!matched)
              throw new AppError("STORAGE_FAILED", "The copy's checksums differ from the source's");
          } finally {
            await to.close();
          }
        } finally {
          await from.close();
        }
      }),
    );
}
