import fs from "node:fs/promises";
import { Command } from "commander";
import { AppError } from "../errors.js";
import { readPromptDirectory } from "../prompts/prompt-directory.js";
import type { ImportRegistryResult } from "../prompts/registry-file/import-registry-file.js";
import { configFromOptions } from "./config-options.js";
import { printResult, withPromptsContext, withPromptsOptions } from "./prompts-context.js";
import { runCommand } from "./run-command.js";

type Options = Record<string, unknown>;

const list = (items: readonly string[]) => items.join(", ") || "-";

/** The import's outcome for a terminal: what was stored, what was worked out, what happened to the labels. */
export function describeImport(result: ImportRegistryResult): string {
  const lines = [`created: ${list(result.created)}`, `unchanged: ${list(result.unchanged)}`];
  if (result.renumbered.length > 0) {
    lines.push("saved as new versions:");
    for (const { entry, storedId, existing } of result.renumbered) {
      lines.push(`  ${entry} → ${storedId}${existing ? " (same content already stored)" : ""}`);
    }
  }
  if (result.inferred.length > 0) lines.push("inferred:", ...result.inferred.map((note) => `  ${note}`));
  if (result.activated.length > 0) {
    lines.push(`active: ${list(result.activated)} (no status in the file: the task's last version in it)`);
  }
  lines.push(`labels restored: ${list(result.labelsRestored)}`);
  lines.push(`labels left as they were (task already labelled): ${list(result.labelsSkipped)}`);
  return lines.join("\n");
}

export function importRegistryCommand(): Command {
  return withPromptsOptions(new Command("import"), { writes: true })
    .description(
      "add the versions of a registry YAML file; labels are restored only for tasks without any. A classifier's " +
        "labels may be left out when the prompt says them (输出只能是'正面'或'负面'); Chinese status names, " +
        "system_prompt and a text changelog are accepted (docs/prompts.md)",
    )
    .argument(
      "<file>",
      'a file written by `prompts export-registry` (or by hand: prompts: v2: sentiment: "...")',
    )
    .option(
      "--as-new-version",
      "save the file's versions as new versions after the active one (v2, v3 … after the highest stored), " +
        "when their ids are taken by other content",
    )
    .action(
      runCommand(async (file: string, options: Options) => {
        const text = await fs.readFile(file, "utf8").catch((error: Error) => {
          throw new AppError("VALIDATION_FAILED", `Cannot read ${file}: ${error.message}`);
        });
        const asNewVersion = options.asNewVersion === true;
        const config = configFromOptions(options as Record<string, string | undefined>);
        // Without --as-new-version, no prompt-file sync first: into a fresh DATA_DIR an export's versions, dates
        // and labels arrive as they were exported. PROMPTS_DIR's versions are still checked, so that the import
        // never leaves a registry the service refuses at its next start. --as-new-version numbers after them, so
        // they are loaded first.
        const promptFiles = asNewVersion ? [] : await readPromptDirectory(config.promptsDir);
        const result = await withPromptsContext(
          options,
          ({ registry, actor }) =>
            registry.importYaml(text, { actor, fileName: file, asNewVersion, promptFiles }),
          // The one registry command that may create the database: restoring an export into a fresh DATA_DIR.
          { syncPromptFiles: asNewVersion, createDatabase: true },
        );
        printResult(options, result, describeImport);
      }),
    );
}
