import path from "node:path";
import cliProgress from "cli-progress";
import { Command } from "commander";
import type { RawConfig } from "../config.js";
import type { AnalysisProgress } from "../analysis/job/run-analysis-job.js";
import type { AnalysisOutcome } from "../analysis/job/analysis-service.js";
import { reportsFolderName } from "../analysis/job/report-file-store.js";
import { createServices, type ServiceOverrides, type Services } from "../services.js";
import { configFromOptions, withConfigOptions } from "./config-options.js";
import { runCommand } from "./run-command.js";

/** One bar per phase on stderr ("reading history", then "replaying <task>"); silent when stderr isn't a TTY. */
function progressBars() {
  let bar: cliProgress.SingleBar | null = null;
  let phase = "";
  const stop = () => {
    bar?.stop();
    bar = null;
  };
  return {
    update(progress: AnalysisProgress) {
      const name =
        progress.phase === "stream"
          ? "reading history"
          : progress.phase === "replay"
            ? `replaying ${progress.task}`
            : `asking the model to rewrite ${progress.task}`;
      if (name !== phase) {
        stop();
        phase = name;
        if (progress.phase === "rewrite") {
          process.stderr.write(`promptloop: ${name}\n`);
          return;
        }
        bar = new cliProgress.SingleBar(
          { format: `${name} [{bar}] {value}/{total} | {eta_formatted}`, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(progress.total, progress.done);
        return;
      }
      if (progress.phase !== "rewrite") bar?.setTotal(progress.total);
      if (progress.phase !== "rewrite") bar?.update(progress.done);
    },
    stop,
  };
}

function summary(outcome: AnalysisOutcome, reportsDir: string): string {
  const lines = [
    `${outcome.status}: ${outcome.reason}`,
    ...outcome.report.tasks.map((task) => {
      const r = task.recommendation;
      const top = task.mining?.patterns[0];
      return (
        `  ${task.task}: ${r.decision === "create_draft" ? `create draft ${r.versionId} (${r.candidate})` : "no change"}` +
        ` — ${r.reason.en}` +
        `\n    ${task.trigger.explanation.en}` +
        (top === undefined
          ? ""
          : `\n    top error pattern: ${top.title} (${top.errorSupport}/${top.support} wrong)`)
      );
    }),
    ...outcome.drafts.map(
      (draft) =>
        `  draft ${draft.versionId}: ${draft.created ? "saved" : "identical version already stored"}`,
    ),
    `report: ${path.join(reportsDir, outcome.reportId)}.{json,md,html}`,
  ];
  return `${lines.join("\n")}\n`;
}

/** `overrides` are for tests (a scripted model); the command itself builds everything from configuration. */
export function analyzeCommand(overrides: ServiceOverrides = {}): Command {
  return withConfigOptions(new Command("analyze"))
    .description(
      "analyse the feedback in DATA_DIR now: metrics, error patterns, candidate prompts scored by replaying them " +
        "through the model, drafts for the ones that pass, and the suggestion report (Prompt 优化建议报告) in " +
        "DATA_DIR/reports. Skipped when nothing changed since the last run.",
    )
    .option("--model <path-or-uri>", "a .gguf file or hf: URI for the replay (env MODEL_PATH)")
    .option(
      "--no-replay",
      "don't load the model: report metrics, patterns and unscored candidates only (no draft, watermark unchanged)",
    )
    .option("--json", "print the outcome (with the whole report) as JSON instead of a summary")
    .action(
      runCommand(async (options: Record<string, string | boolean | undefined>) => {
        const extra: Partial<RawConfig> = {};
        if (typeof options.model === "string") extra.MODEL_PATH = options.model;
        const config = configFromOptions(options as Record<string, string | undefined>, extra);
        const replay = options.replay !== false;
        const log = (message: string) => process.stderr.write(`promptloop: ${message}\n`);
        const abort = new AbortController();
        const cancel = () => {
          log("interrupted: stopping the analysis");
          abort.abort();
        };
        process.once("SIGINT", cancel);
        const bars = progressBars();
        let services: Services | undefined;
        try {
          // The same services as `serve`, so a draft that passes the replay gate starts its canary here too.
          services = await createServices(config, {
            ...overrides,
            loadModel: replay,
            sequences: 1,
            createDatabase: false,
            log: (level, message) => log(`${level}: ${message}`),
            onStep: (message) => {
              if (message.startsWith("model: resolving")) log(`model: loading ${config.modelPath}`);
            },
          });
          const outcome = await services.analysis.run({
            trigger: "cli",
            replay,
            signal: abort.signal,
            onProgress: (progress) => bars.update(progress),
          });
          bars.stop();
          process.stdout.write(
            options.json
              ? `${JSON.stringify(outcome, null, 2)}\n`
              : summary(outcome, path.join(config.dataDir, reportsFolderName)),
          );
        } finally {
          bars.stop();
          process.off("SIGINT", cancel);
          await services?.close();
        }
      }),
    );
}
