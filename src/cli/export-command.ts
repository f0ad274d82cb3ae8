import fs from "node:fs";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { Command } from "commander";
import { AppError } from "../errors.js";
import { exportLines } from "../feedback/export-routes.js";
import { createServices } from "../services.js";
import { configFromOptions, withConfigOptions } from "./config-options.js";
import { runCommand } from "./run-command.js";

export function exportCommand(): Command {
  return withConfigOptions(new Command("export"))
    .description("write interactions with their feedback as JSON lines (for manual analysis)")
    .option("--format <format>", "output format", "jsonl")
    .option("--task <task>", "only this task")
    .option("--since <iso-date>", "only interactions created at or after this time")
    .option("-o, --out <file>", "write to a file instead of stdout")
    .action(
      runCommand(async (options: Record<string, string | undefined>) => {
        if (options.format !== "jsonl")
          throw new AppError("VALIDATION_FAILED", "Only --format jsonl is supported");
        const since = options.since === undefined ? undefined : Date.parse(options.since);
        if (since !== undefined && Number.isNaN(since)) {
          throw new AppError("VALIDATION_FAILED", `--since ${options.since} is not a date`);
        }
        const config = configFromOptions(options);
        const services = await createServices(config, { loadModel: false, syncPromptFiles: false });
        try {
          const store = services.stores.interactions;
          const lines = exportLines(store, {
            ...(options.task !== undefined && { task: options.task }),
            ...(since !== undefined && { since }),
          });
          const out = options.out ? fs.createWriteStream(options.out) : process.stdout;
          await pipeline(Readable.from(lines), out);
          if (options.out) {
            const { interactions } = await store.counts();
            process.stderr.write(
              `promptloop: exported to ${options.out} (${interactions} interactions in store)\n`,
            );
          }
        } finally {
          await services.close();
        }
      }),
    );
}
