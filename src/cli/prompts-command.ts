import { Command } from "commander";
import { readPromptDirectory } from "../prompts/prompt-directory.js";
import { deriveVersionStatuses, statusOfVersion } from "../prompts/registry-version-status.js";
import { createSqlPromptStore } from "../prompts/store/sql-prompt-store.js";
import { syncPromptFiles } from "../prompts/sync-prompt-files.js";
import { openDatabase } from "../storage/open-database.js";
import { configFromOptions, withConfigOptions } from "./config-options.js";
import {
  createCommand,
  diffCommand,
  exportRegistryCommand,
  showCommand,
} from "./prompts-registry-commands.js";
import { importRegistryCommand } from "./prompts-import-command.js";
import { evaluateCommand, experimentsCommand, labelActionCommands } from "./prompts-rollout-commands.js";
import { runCommand } from "./run-command.js";

function listCommand(): Command {
  return withConfigOptions(new Command("list"))
    .description("list prompt versions with their status and labels (loads new prompt files first)")
    .option("--task <task>", "only this task")
    .option("--json", "print JSON instead of a table")
    .action(
      runCommand(async (options: Record<string, string | boolean | undefined>) => {
        const config = configFromOptions(options as Record<string, string | undefined>);
        const database = await openDatabase(config);
        try {
          const store = createSqlPromptStore(database.db);
          await syncPromptFiles(store, await readPromptDirectory(config.promptsDir), Date.now());
          const task = typeof options.task === "string" ? options.task : undefined;
          const [versions, labels, moves] = await Promise.all([
            store.listVersions(task),
            store.listLabels(task),
            store.listMoves(task),
          ]);
          const statuses = deriveVersionStatuses(labels, moves);
          const rows = versions.map((v) => ({
            id: v.id,
            kind: v.definition.kind,
            status: statusOfVersion(statuses, v.id).status,
            labels:
              labels
                .filter((l) => l.versionId === v.id)
                .map((l) => l.label)
                .join(",") || "-",
            source: v.source,
            created: new Date(v.createdAt).toISOString().slice(0, 19).replace("T", " "),
            hash: v.contentHash.slice(0, 12),
          }));
          if (options.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          else console.table(rows);
        } finally {
          await database.close();
        }
      }),
    );
}

export function promptsCommand(): Command {
  const command = new Command("prompts")
    .description("the prompt registry: versions, labels, rollouts (works on DATA_DIR's database directly)")
    .addCommand(listCommand())
    .addCommand(showCommand())
    .addCommand(diffCommand())
    .addCommand(createCommand());
  for (const labelCommand of labelActionCommands()) command.addCommand(labelCommand);
  return command
    .addCommand(evaluateCommand())
    .addCommand(experimentsCommand())
    .addCommand(exportRegistryCommand())
    .addCommand(importRegistryCommand());
}
