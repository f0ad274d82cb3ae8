import fs from "node:fs";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { Command } from "commander";
import { AppError } from "../errors.js";
import { exportLines } from "../feedback/export-routes.js";
import { exportSft } from "../finetune/export-sft.js";
import { createServices } from "../services.js";
import { configFromOptions, withConfigOptions } from "./config-options.js";
import { deprecatedAlias } from "./deprecated-alias.js";
import { assertKnownTask, assertMatched } from "./no-match.js";
import { runCommand } from "./run-command.js";

/** Counts what passes through, so the command can tell an empty result from a written one. */
async function* counted(lines: AsyncIterable<string>, counter: { lines: number }) {
  for await (const line of lines) {
    counter.lines += 1;
    yield line;
  }
}

/** `export-feedback`: the interactions and their feedback (`prompts export-registry` is the other export). */
export function exportFeedbackCommand(): Command {
  return makeExportFeedbackCommand("export-feedback");
}

/** `export`, the old name of `export-feedback`: works as before, with a deprecation note on stderr. */
export function deprecatedExportCommand(): Command {
  return deprecatedAlias(makeExportFeedbackCommand, "export", "export-feedback");
}

function makeExportFeedbackCommand(name: string): Command {
  return withConfigOptions(new Command(name))
    .description(
      "write interactions with their feedback as JSON lines (jsonl, for analysis), or a fine-tuning set (sft: " +
        "train/validation chat JSONL and a data card in a directory, see docs/sft-export.md); " +
        "`prompts export-registry` writes the prompt registry instead",
    )
    .option("--format <format>", "jsonl | sft", "jsonl")
    .option("--task <task>", "only this task (exit 5 when the registry has no such task)")
    .option(
      "--since <iso-date>",
      "only interactions created at or after this time (jsonl: exit 5 when none are)",
    )
    .option("-o, --out <path>", "jsonl: a file instead of stdout; sft: the directory to write (required)")
    .option(
      "--min-quality <score>",
      "sft: lowest fused quality score (0–1) of a reply kept as it was",
      "0.75",
    )
    .option("--validation-share <share>", "sft: the newest share of examples held out for validation", "0.1")
    .option("--json", "sft: print the data card as JSON; jsonl: print {file, lines} (needs --out)")
    .action(
      runCommand(async (options: Record<string, string | undefined>) => {
        if (options.format !== "jsonl" && options.format !== "sft")
          throw new AppError("VALIDATION_FAILED", `--format ${options.format} is not jsonl or sft`);
        const since = options.since === undefined ? undefined : Date.parse(options.since);
        if (since !== undefined && Number.isNaN(since)) {
          throw new AppError("VALIDATION_FAILED", `--since ${options.since} is not a date`);
        }
        const sft = options.format === "sft" ? sftOptions(options) : undefined;
        if (!sft && options.json && options.out === undefined) {
          throw new AppError(
            "VALIDATION_FAILED",
            "--json prints a summary beside the file: give --out <file>",
          );
        }
        const config = configFromOptions(options);
        const services = await createServices(config, {
          loadModel: false,
          syncPromptFiles: false,
          createDatabase: false,
        });
        try {
          await assertKnownTask(services.stores.prompts, options.task);
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
          const counter = { lines: 0 };
          const lines = exportLines(store, {
            ...(options.task !== undefined && { task: options.task }),
            ...(since !== undefined && { since }),
          });
          const out = options.out ? fs.createWriteStream(options.out) : process.stdout;
          await pipeline(Readable.from(counted(lines, counter)), out);
          const filters = [
            ...(options.task !== undefined ? [`--task ${options.task}`] : []),
            ...(options.since !== undefined ? [`--since ${options.since}`] : []),
          ];
          assertMatched(counter.lines, filters, "interactions");
          if (options.json)
            process.stdout.write(`${JSON.stringify({ file: options.out, lines: counter.lines })}\n`);
          else if (options.out)
            process.stderr.write(`promptloop: wrote ${counter.lines} interactions to ${options.out}\n`);
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
