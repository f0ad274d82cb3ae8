import { Command } from "commander";
import type { ExperimentView } from "../rollout/service/experiment-view.js";
import type { LabelActionResult } from "../rollout/service/rollout-service.js";
import {
  printResult,
  withPromptsContext,
  withPromptsOptions,
  type PromptsContext,
} from "./prompts-context.js";
import { assertKnownTask } from "./no-match.js";
import { runCommand } from "./run-command.js";

type Options = Record<string, unknown>;

function describeExperiment(experiment: ExperimentView): string {
  const lines = [
    `${experiment.id}  ${experiment.task}: ${experiment.control} vs ${experiment.candidate}  ${experiment.status}, ` +
      `candidate share ${Math.round(experiment.share * 100)}% (stage ${experiment.stageIndex + 1} of ` +
      `${experiment.rampShares.length}: ${experiment.rampShares.map((s) => `${Math.round(s * 100)}%`).join(" → ")})`,
    `started ${experiment.startedAt} by ${experiment.startedBy}: ${experiment.startReason}`,
  ];
  for (const decision of experiment.decisions) {
    lines.push(`  ${decision.decidedAt}  ${decision.action} [${decision.reasonCode}] ${decision.reason}`);
  }
  if (experiment.decisionCount > experiment.decisions.length) {
    lines.push(`  … ${experiment.decisionCount - experiment.decisions.length} older decisions`);
  }
  return lines.join("\n");
}

function describeMoves(result: LabelActionResult): string {
  const moves = result.moves.map(
    (m) => `  ${m.label}: ${m.fromVersionId ?? "-"} → ${m.toVersionId ?? "-"}  (${m.reason})`,
  );
  return [
    `${result.task}:`,
    ...moves,
    ...(result.experiment ? [describeExperiment(result.experiment)] : []),
  ].join("\n");
}

const labelCommands: Array<{
  name: string;
  description: string;
  run: (context: PromptsContext, id: string, reason: string, force: boolean) => Promise<unknown>;
}> = [
  {
    name: "start-canary",
    description: "start a canary of a version against its task's active version (always allowed by hand)",
    run: ({ rollout, actor }, id, reason) => rollout.startCanary(id, { actor, reason, manual: true }),
  },
  {
    name: "promote",
    description: "make a version active now; if it is the canary its experiment ends as promoted",
    run: ({ rollout, actor }, id, reason, force) => rollout.promote(id, { actor, reason, force }),
  },
  {
    name: "rollback",
    description: "withdraw a canary, or put the version pending retirement back in place of a promoted one",
    run: ({ rollout, actor }, id, reason) => rollout.rollback(id, { actor, reason }),
  },
  {
    name: "retire",
    description: "retire a version that is pending retirement (before its grace period ends) or unused",
    run: ({ rollout, actor }, id, reason) => rollout.retire(id, { actor, reason }),
  },
];

/** promote's --force: promote without evidence (no experiment or too few labelled answers), recorded. */
function withForceOption(name: string, command: Command): Command {
  if (name !== "promote") return command;
  return command.option(
    "--force",
    "promote without evidence (no experiment, or too few labelled answers); recorded in the label-move history",
  );
}

/** start-canary, promote, rollback, retire: label moves by hand, each recorded with actor and reason. */
export function labelActionCommands(): Command[] {
  return labelCommands.map(({ name, description, run }) =>
    withForceOption(name, withPromptsOptions(new Command(name), { writes: true }))
      .description(description)
      .argument("<version>", "version id, e.g. sentiment@v2")
      .requiredOption("--reason <text>", "why: recorded with the decision and every label move")
      .action(
        runCommand(async (id: string, options: Options) => {
          const result = await withPromptsContext(options, (context) =>
            run(context, id, options.reason as string, options.force === true),
          );
          printResult(options, result, (value) => {
            if (value && typeof value === "object" && "moves" in value)
              return describeMoves(value as LabelActionResult);
            const start = value as { started: boolean; experiment?: ExperimentView; reason?: string };
            return start.experiment
              ? `started: ${describeExperiment(start.experiment)}`
              : `not started: ${start.reason}`;
          });
        }),
      ),
  );
}

export function evaluateCommand(): Command {
  return withPromptsOptions(new Command("evaluate"), { writes: true })
    .description("evaluate every running experiment now (as the schedule does) and retire expired versions")
    .action(
      runCommand(async (options: Options) => {
        const report = await withPromptsContext(options, ({ rollout, actor }) =>
          rollout.evaluateNow({ actor }),
        );
        printResult(options, report, (r) =>
          [
            `evaluated at ${r.evaluatedAt}`,
            ...r.decisions.map(
              (d) => `  ${d.experimentId} (${d.candidate}): ${d.action} [${d.reasonCode}] ${d.reason}`,
            ),
            ...r.failures.map((f) => `  ${f.experimentId}: failed ${f.code}: ${f.message}`),
            ...(r.retired.length > 0 ? [`  retired: ${r.retired.join(", ")}`] : []),
            ...(r.decisions.length + r.failures.length === 0 ? ["  no running experiment"] : []),
          ].join("\n"),
        );
      }),
    );
}

export function experimentsCommand(): Command {
  return withPromptsOptions(new Command("experiments"), { writes: false })
    .description("list rollout experiments (newest first) with their latest decisions")
    .option("--task <task>", "only this task (exit 5 when the registry has no such task)")
    .option("--decisions <n>", "decisions to show per experiment", "10")
    .action(
      runCommand(async (options: Options) => {
        const task = typeof options.task === "string" ? options.task : undefined;
        const experiments = await withPromptsContext(options, async ({ rollout, prompts }) => {
          await assertKnownTask(prompts, task);
          return rollout.listExperiments({
            ...(task !== undefined && { task }),
            decisionLimit: Math.max(0, Number.parseInt(String(options.decisions), 10) || 0),
          });
        });
        printResult(options, experiments, (list) =>
          list.length === 0 ? "no experiments" : list.map(describeExperiment).join("\n\n"),
        );
      }),
    );
}
