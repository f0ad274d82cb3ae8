import fs from "node:fs/promises";
import cliProgress from "cli-progress";
import { Command } from "commander";
import type { RawConfig } from "../config.js";
import { AppError } from "../errors.js";
import { readPromptDirectory } from "../prompts/prompt-directory.js";
import type { RolloutPresetName } from "../rollout/core/rollout-policy.js";
import { formatSimulationText } from "../simulate/core/format-simulation-text.js";
import { parseLabelMap } from "../simulate/core/label-map.js";
import { toLabelledItems } from "../simulate/core/labelled-items.js";
import { renderSimulationHtml } from "../simulate/core/render-simulation-html.js";
import { trafficFromFlags, type TrafficFlags } from "../simulate/core/simulation-flags.js";
import { readLabelledCsv } from "../simulate/read-labelled-csv.js";
import { runSimulation, type SimulationModel } from "../simulate/run-simulation.js";
import { openSimulationDataDir } from "../simulate/simulation-data-dir.js";
import { configFromOptions } from "./config-options.js";
import { runCommand } from "./run-command.js";

interface SimulateOptions extends TrafficFlags {
  dataset: string;
  textColumn: string;
  labelColumn: string;
  task: string;
  labelMap?: string;
  model?: string;
  blindSpot: string[];
  rolloutPreset?: string;
  goldSample: string;
  dataDir?: string;
  promptsDir?: string;
  json?: boolean;
  out?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

async function taskLabels(promptsDir: string, task: string): Promise<string[]> {
  const definitions = (await readPromptDirectory(promptsDir)).map((file) => file.definition);
  const definition = definitions.find((d) => d.task === task && d.kind === "classifier" && d.labels);
  if (!definition?.labels) {
    const classifiers = [...new Set(definitions.filter((d) => d.kind === "classifier").map((d) => d.task))];
    throw new AppError(
      "VALIDATION_FAILED",
      `--task ${task} is not a classifier task in ${promptsDir} (classifiers: ${classifiers.join(", ") || "none"})`,
    );
  }
  return definition.labels;
}

function modelOf(options: SimulateOptions): SimulationModel {
  if (options.model === "scripted") {
    if (options.blindSpot.length === 0) {
      throw new AppError("VALIDATION_FAILED", "--model scripted needs at least one --blind-spot WORD");
    }
    return { kind: "scripted", blindSpots: options.blindSpot };
  }
  if (options.blindSpot.length > 0) {
    throw new AppError("VALIDATION_FAILED", "--blind-spot only applies to --model scripted");
  }
  return { kind: "engine" };
}

function progressBar() {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      format:
        "simulating [{bar}] day {day}/{days} | {answers} answers | {runs} analysis runs | {eta_formatted}",
      hideCursor: true,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(hours: number, totalHours: number, answers: number, runs: number) {
      const payload = {
        day: Math.min(totalHours / 24, Math.floor(hours / 24) + 1),
        days: totalHours / 24,
        answers,
        runs,
      };
      if (!started) {
        bar.start(totalHours, 0, payload);
        started = true;
      }
      bar.update(Math.floor(hours), payload);
    },
    stop: () => started && bar.stop(),
  };
}

export function simulateCommand(): Command {
  return new Command("simulate")
    .description(
      "replay a labelled CSV as live users through the whole service (routes, stores, analysis, rollout) on a " +
        "simulated clock, in a fresh data folder, and show per day how the served versions did against the gold labels",
    )
    .requiredOption("--dataset <file>", "labelled CSV with a header line")
    .option("--text-column <name>", "column holding the input text", "text")
    .option("--label-column <name>", "column holding the gold label", "label")
    .option("--task <name>", "classifier task to send the texts to", "sentiment")
    .option("--label-map <map>", "data-set values to task labels, e.g. 1=正面,0=负面")
    .option("--days <n>", "simulated days (default 14)")
    .option("--users-per-day <n>", "users arriving each day, following a day/night cycle (default 1000)")
    .option("--requests-per-user <range>", "requests per user, e.g. 1-3 (default 1-3)")
    .option("--feedback-rate <p>", "P(a user gives 👍/👎 or a correction on an answer) (default 0.2)")
    .option(
      "--correction-rate <p>",
      "P(feedback on a wrong answer is a correction rather than 👎) (default 0.5)",
    )
    .option("--wrong-feedback-rate <p>", "P(a user's feedback is mistaken) (default 0.05)")
    .option("--exit-after-wrong <p>", "P(a user leaves after a wrong answer) (default 0.2)")
    .option("--spammers <n>", "sessions that correct every answer to one label, every day (default 0)")
    .option("--spammer-requests <n>", "requests per spammer per day (default 40)")
    .option("--spam-label <label>", "the label spammers push (default the task's last label)")
    .option("--seed <n>", "seed of every random choice (default 1)")
    .option(
      "--model <scripted|path|uri>",
      "`scripted`, or a .gguf file or hf: URI for the real engine (env MODEL_PATH)",
    )
    .option(
      "--blind-spot <word>",
      "with --model scripted: a word it gets wrong until the prompt mentions it (repeatable)",
      collect,
      [],
    )
    .option(
      "--rollout-preset <name>",
      "rollout policy preset: balanced, strict or writeup (env ROLLOUT_PRESET)",
    )
    .option(
      "--gold-sample <n>",
      "items each version is replayed on for its gold accuracy with a real engine",
      "300",
    )
    .option(
      "--data-dir <dir>",
      "an empty or new folder to run in and keep (default: a temporary folder, removed after)",
    )
    .option("--prompts-dir <dir>", "prompt files folder (env PROMPTS_DIR, default the bundled prompts)")
    .option("--json", "print the whole run as one JSON object {days, events, versions, …} instead of tables")
    .option("--out <file>", "also write an HTML report with charts to this file")
    .action(
      runCommand(async (options: SimulateOptions) => {
        const model = modelOf(options);
        const extra: Partial<RawConfig> = {};
        if (options.model && options.model !== "scripted") extra.MODEL_PATH = options.model;
        if (options.rolloutPreset) extra.ROLLOUT_PRESET = options.rolloutPreset as RolloutPresetName;
        const baseConfig = configFromOptions({ promptsDir: options.promptsDir }, extra);
        const labels = await taskLabels(baseConfig.promptsDir, options.task);
        const items = toLabelledItems(await readLabelledCsv(options.dataset), {
          textColumn: options.textColumn,
          labelColumn: options.labelColumn,
          labels,
          labelMap: options.labelMap === undefined ? undefined : parseLabelMap(options.labelMap, labels),
        });
        const traffic = trafficFromFlags(options, labels);
        const goldSampleSize = Number(options.goldSample);
        if (!Number.isInteger(goldSampleSize) || goldSampleSize < 1) {
          throw new AppError(
            "VALIDATION_FAILED",
            `--gold-sample "${options.goldSample}" is not a whole number ≥ 1`,
          );
        }
        const dataDir = await openSimulationDataDir(options.dataDir);
        const log = (message: string) => process.stderr.write(`promptloop: ${message}\n`);
        const bar = progressBar();
        try {
          if (model.kind === "scripted")
            log("using the SCRIPTED model: no language model runs in this simulation");
          log(`simulating in ${dataDir.path}${options.dataDir ? "" : " (temporary, removed afterwards)"}`);
          const report = await runSimulation({
            datasetFile: options.dataset,
            items,
            task: options.task,
            labels,
            traffic,
            model,
            config: { ...baseConfig, dataDir: dataDir.path },
            goldSampleSize,
            onStep: (message) => {
              if (!message.startsWith("prompts:")) log(message);
            },
            onProgress: (p) => bar.update(p.simulatedHours, p.totalHours, p.answers, p.analysisRuns),
            onJobError: (job, error) => log(`${job} failed: ${(error as Error).message}`),
          });
          bar.stop();
          process.stdout.write(
            options.json ? `${JSON.stringify(report, null, 2)}\n` : formatSimulationText(report),
          );
          if (options.out) {
            await fs.writeFile(options.out, renderSimulationHtml(report));
            log(`report written to ${options.out}`);
          }
        } finally {
          bar.stop();
          await dataDir.release();
        }
      }),
    );
}
