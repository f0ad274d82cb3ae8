import fs from "node:fs";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { Command } from "commander";
import { AppError } from "../errors.js";
import { exportLines } from "../feedback/export-routes.js";
import { exportSft } from "../finetune/export-sft.js";
import { createServices } from "../services.js";
import { configFromOptions, withConfigOptions } from "./config-options.js";
import { runCommand } from "./run-command.js";

export function exportCommand(): Command {
  return withConfigOptions(new Command("export"))
    .description(
      "write interactions with their feedback as JSON lines (jsonl, for analysis), or a fine-tuning set (sft: " +
        "train/validation chat JSONL and a data card in a directory, see docs/sft-export.md)",
    )
    .option("--format <format>", "jsonl | sft", "jsonl")
    .option("--task <task>", "only this task")
    .option("--since <iso-date>", "only interactions created at or after this time")
    .option("-o, --out <path>", "jsonl: a file instead of stdout; sft: the directory to write (required)")
    .option(
      "--min-quality <score>",
      "sft: lowest fused quality score (0–1) of a reply kept as it was",
      "0.75",
    )
    .option("--validation-share <share>", "sft: the newest share of examples held out for validation", "0.1")
    .option("--json", "sft: print the data card as JSON")
    .action(
      runCommand(async (options: Record<string, string | undefined>) => {
        if (options.format !== "jsonl" && options.format !== "sft")
          throw new AppError("VALIDATION_FAILED", `--format ${options.format} is not jsonl or sft`);
        const since = options.since === undefined ? undefined : Date.parse(options.since);
        if (since !== undefined && Number.isNaN(since)) {
          throw new AppError("VALIDATION_FAILED", `--since ${options.since} is not a date`);
        }
        const sft = options.format === "sft" ? sftOptions(options) : undefined;
        const config = configFromOptions(options);
        const services = await createServices(config, { loadModel: false, syncPromptFiles: false });
        try {
          const store = services.stores.interactions;
          if (sft) {
            const result = await exportSft(
              { interactions: store, prompts: services.stores.prompts },
              {
                ...sft,
                ...(options.task !== undefined && { task: options.task }),
                ...(since !== undefined && { since }),
                now: Date.now(),
                onProgress: (read) => {
                  if (!options.json && process.stderr.isTTY)
                    process.stderr.write(`\rread ${read} interactions`);
                },
              },
            );
            const { train, validation } = result.card;
            if (options.json) process.stdout.write(`${JSON.stringify(result.card)}\n`);
            else
              process.stdout.write(
                `SFT set written to ${sft.outDir}: ${train.rows} train, ${validation.rows} validation rows ` +
                  `(corrections ${train.bySource.correction + validation.bySource.correction}, edits ` +
                  `${train.bySource.edit + validation.bySource.edit}, high-quality replies ` +
                  `${train.bySource.high_quality + validation.bySource.high_quality}; ` +
                  `${result.card.duplicatesRemoved} duplicates removed) from ${result.interactionsRead} interactions\n`,
              );
            return;
          }
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

function sftOptions(options: Record<string, string | undefined>) {
  if (options.out === undefined)
    throw new AppError("VALIDATION_FAILED", "--format sft needs --out <directory>");
  const minQuality = Number(options.minQuality);
  if (!(minQuality >= 0 && minQuality <= 1)) {
    throw new AppError(
      "VALIDATION_FAILED",
      `--min-quality ${options.minQuality} is not a score between 0 and 1`,
    );
  }
  const validationShare = Number(options.validationShare);
  if (!(validationShare >= 0 && validationShare < 0.9)) {
    throw new AppError(
      "VALIDATION_FAILED",
      `--validation-share ${options.validationShare} is not a share between 0 and 0.9`,
    );
  }
  return { outDir: options.out, minQuality, validationShare };
}
