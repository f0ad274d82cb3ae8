import fs from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { migrationsFor } from "../storage/migrations/index.js";
import { openDatabase } from "../storage/open-database.js";
import { databaseFileName } from "../storage/sqlite/open-sqlite-database.js";
import { appliedMigrations, integrityProblems } from "../storage/sqlite/sqlite-maintenance.js";
import { configFromOptions, withConfigOptions } from "./config-options.js";
import { runCommand } from "./run-command.js";

interface Finding {
  check: string;
  ok: boolean;
  detail: string;
}

function sqliteFindings(file: string, minFreeBytes: number): Finding[] {
  if (!fs.existsSync(file)) return [{ check: "database file", ok: false, detail: `${file} does not exist` }];
  const findings: Finding[] = [];
  let problems: string[];
  try {
    problems = integrityProblems(file);
  } catch (error) {
    problems = [(error as Error).message];
  }
  findings.push({
    check: "integrity_check",
    ok: problems.length === 0,
    detail:
      problems.length === 0 ? "ok" : `${problems.join("; ")} (restore a backup: promptloop restore <file>)`,
  });
  const known = Object.keys(migrationsFor("sqlite"));
  const applied = problems.length === 0 ? appliedMigrations(file) : [];
  const pending = known.filter((name) => !applied.includes(name));
  findings.push({
    check: "migrations",
    ok: applied.every((name) => known.includes(name)),
    detail: `${applied.length} applied${pending.length > 0 ? `, ${pending.length} pending (applied at the next start)` : ""}`,
  });
  const stats = fs.statfsSync(path.dirname(file));
  const free = stats.bavail * stats.bsize;
  findings.push({
    check: "free space",
    ok: free >= minFreeBytes,
    detail: `${Math.floor(free / 1048576)} MB free (STORAGE_MIN_FREE_MB ${Math.floor(minFreeBytes / 1048576)})`,
  });
  const wal = `${file}-wal`;
  findings.push({
    check: "size",
    ok: true,
    detail: `${fs.statSync(file).size} bytes${fs.existsSync(wal) ? ` + ${fs.statSync(wal).size} bytes of WAL` : ""}`,
  });
  return findings;
}

export function doctorCommand(): Command {
  return withConfigOptions(new Command("doctor"))
    .description(
      "check the database thoroughly (SQLite: PRAGMA integrity_check; PostgreSQL: connection, migrations)",
    )
    .option("--json", "print the findings as JSON")
    .action(
      runCommand(async (options: Record<string, string | boolean | undefined>) => {
        const config = configFromOptions(options as Record<string, string | undefined>);
        let findings: Finding[];
        if (config.databaseUrl === "") {
          findings = sqliteFindings(path.join(config.dataDir, databaseFileName), config.storageMinFreeBytes);
        } else {
          const database = await openDatabase(config);
          try {
            const health = await database.monitor.health();
            findings = [
              { check: "connection and migrations", ok: true, detail: database.location },
              { check: "write probe", ok: health.writable, detail: health.problem ?? "ok" },
            ];
          } finally {
            await database.close();
          }
        }
        const healthy = findings.every((finding) => finding.ok);
        if (options.json) process.stdout.write(`${JSON.stringify({ healthy, findings })}\n`);
        else
          for (const f of findings)
            process.stdout.write(`${f.ok ? "ok  " : "FAIL"} ${f.check}: ${f.detail}\n`);
        // Exit 4, the storage code, when anything failed.
        if (!healthy) process.exitCode = 4;
      }),
    );
}
