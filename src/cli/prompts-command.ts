import { Command } from "commander";
import { deriveVersionStatuses, statusOfVersion } from "../prompts/registry-version-status.js";
import { assertKnownTask } from "./no-match.js";
import { formatTable } from "./print-table.js";
import { printResult, withPromptsContext, withPromptsOptions } from "./prompts-context.js";
import {
  createCommand,
  diffCommand,
  exportRegistryCommands,
  showCommand,
} from "./prompts-registry-commands.js";
import { importRegistryCommand } from "./prompts-import-command.js";
import { evaluateCommand, experimentsCommand, labelActionCommands } from "./prompts-rollout-commands.js";
import { runCommand } from "./run-command.js";

function listCommand(): Command {
  return withPromptsOptions(new Command("list"), { writes: false })
    .description("list prompt versions with their status and rollout labels (loads new prompt files first)")
    .option("--task <task>", "only this task (exit 5 when the registry has no such task)")
    .action(
      runCommand(async (options: Record<string, string | boolean | undefined>) => {
        const task = typeof options.task === "string" ? options.task : undefined;
        const rows = await withPromptsContext(options, async ({ prompts }) => {
          await assertKnownTask(prompts, task);
          const [versions, labels, moves] = await Promise.all([
            prompts.listVersions(task),
            prompts.listLabels(task),
            prompts.listMoves(task),
          ]);
          const statuses = deriveVersionStatuses(labels, moves);
          return versions.map((v) => ({
            id: v.id,
            kind: v.definition.kind,
            status: statusOfVersion(statuses, v.id).status,
            // Pointer labels only: the `retired` pointer is a per-version state shown as the status.
            rolloutLabels: statusOfVersion(statuses, v.id).labels,
            outputLabels: v.definition.labels ?? [],
            source: v.source,
            createdAt: new Date(v.createdAt).toISOString(),
            contentHash: v.contentHash,
          }));
        });
        printResult(options, rows, (list) =>
          formatTable(
            ["version", "kind", "status", "rollout labels", "outputs", "source", "created (UTC)", "hash"],
            list.map((row) => [
              row.id,
              row.kind,
              row.status,
              row.rolloutLabels.join(", "),
              row.outputLabels.join(" / "),
              row.source,
              row.createdAt.slice(0, 16).replace("T", " "),
              row.contentHash.slice(0, 12),
            ]),
          ),
        );
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
  const [exportRegistry, oldExportName] = exportRegistryCommands();
  return command
    .addCommand(evaluateCommand())
    .addCommand(experimentsCommand())
    .addCommand(exportRegistry!)
    .addCommand(oldExportName!, { hidden: true })
    .addCommand(importRegistryCommand());
}
