import { randomUUID } from "node:crypto";
import { AppError, isAppError } from "../../errors.js";
import type { PromptStore, PromptVersion } from "../../prompts/store/prompt-store.js";
import type { LabelEvent, PlannedLabelMove } from "../core/plan-label-moves.js";
import type { RolloutPolicy } from "../core/rollout-policy.js";
import type { InteractionStore } from "../../feedback/store/interaction-store.js";
import { toExperimentView, type ExperimentView } from "./experiment-view.js";
import { evaluateExperiment, planMoves, retireExpiredVersions } from "./evaluate-experiment.js";
import { controlLatencyThreshold, readStageStatistics } from "./stage-statistics.js";
import type { Experiment, LabelMovePlan, RolloutStore } from "../store/rollout-store.js";
import { planRetirement } from "./plan-retirement.js";
import type { EvaluationReport } from "./evaluation-report.js";
import { activeVersionId } from "../../prompts/prompt-label.js";
import { findHoldback, watchHoldback } from "./holdback.js";
import { checkPromotionEvidence } from "./promotion-evidence.js";
import { describeAdaptation, snapshotPolicy } from "./snapshot-policy.js";

export type { EvaluationReport } from "./evaluation-report.js";

/** Dependencies of {@link createRolloutService}. */
export interface RolloutServiceDeps {
  prompts: PromptStore;
  rollouts: RolloutStore;
  interactions: InteractionStore;
  /** The policy new experiments snapshot (ROLLOUT_POLICY, ROLLOUT_CANARY_SHARE). */
  policy: RolloutPolicy;
  /** AUTO_START_CANARY: whether automatic starts (the analysis job's) go ahead. Manual starts always do. */
  autoStartCanary: boolean;
  /** AUTO_START_CANARY_MIN_SESSIONS: an automatic start needs evidence from at least this many sessions (none: no check). */
  autoStartMinSessions?: number;
  /** FEEDBACK_MAX_SESSION_SHARE: one session's largest share of an arm's judged interactions (default 1). */
  maxSessionShare?: number;
  now: () => number;
  /** Experiment ids; random by default, because the id is part of the assignment hash. */
  newExperimentId?: (task: string, candidateVersionId: string) => string;
}

/** Who asks for a change, and why: recorded with the decision and every label move. */
export interface ActionContext {
  /** `cli:alice`, `api:admin`, `analysis`, … */
  actor: string;
  reason: string;
  /** Promote without evidence (no experiment, or too few labelled answers): on purpose, recorded with the moves. */
  force?: boolean;
}

/** Options of {@link RolloutService.startCanary}. */
export interface StartCanaryOptions extends ActionContext {
  /** An operator's request: always allowed. Otherwise an automatic start, which AUTO_START_CANARY can switch off. */
  manual?: boolean;
  /** Distinct sessions behind the evidence for an automatic start (AUTO_START_CANARY_MIN_SESSIONS checks it). */
  evidenceSessions?: number;
}

/** What startCanary did. */
export type StartCanaryResult =
  | { started: true; experiment: ExperimentView }
  | { started: false; reasonCode: "auto_start_disabled" | "too_few_sessions"; reason: string };

/** What a manual label action did. */
export interface LabelActionResult {
  versionId: string;
  task: string;
  moves: LabelMovePlan[];
  /** The experiment the action ended, if any. */
  experiment: ExperimentView | null;
}

/** Starts, evaluates and ends rollout experiments; the I/O shell around the pure decision core. */
export interface RolloutService {
  /** Starts a canary of `candidateVersionId` against its task's active version (see StartCanaryOptions). */
  startCanary(candidateVersionId: string, options: StartCanaryOptions): Promise<StartCanaryResult>;
  /** Makes the version active; ends its experiment as promoted if it is the canary. */
  promote(versionId: string, context: ActionContext): Promise<LabelActionResult>;
  /** Withdraws a canary, or restores the version pending retirement in place of a promoted one. */
  rollback(versionId: string, context: ActionContext): Promise<LabelActionResult>;
  /** Retires a version that is pending retirement or unused. */
  retire(versionId: string, context: ActionContext): Promise<LabelActionResult>;
  /** Evaluates every running experiment now, applies the decisions, and retires expired versions. */
  evaluateNow(options?: { actor?: string }): Promise<EvaluationReport>;
  listExperiments(query?: { task?: string; decisionLimit?: number }): Promise<ExperimentView[]>;
  getExperiment(id: string, options?: { decisionLimit?: number }): Promise<ExperimentView>;
}

const defaultDecisionLimit = 50;

/** The rollout service over its stores; see docs/rollout.md. */
export function createRolloutService(deps: RolloutServiceDeps): RolloutService {
  const { prompts, rollouts } = deps;
  const newExperimentId =
    deps.newExperimentId ??
    ((task: string, candidate: string) =>
      `exp-${task}-${candidate.split("@")[1] ?? candidate}-${randomUUID().slice(0, 8)}`);

  // One change at a time in this process; across processes the stores' optimistic checks catch races.
  let queue: Promise<unknown> = Promise.resolve();
  function exclusive<T>(action: () => Promise<T>): Promise<T> {
    const run = queue.then(action, action);
    queue = run.catch(() => {});
    return run;
  }

  async function requireVersion(id: string): Promise<PromptVersion> {
    const version = await prompts.getVersion(id);
    if (!version) throw new AppError("PROMPT_VERSION_NOT_FOUND", `Prompt version ${id} does not exist`);
    return version;
  }

  const plan = (task: string, event: LabelEvent, policy: RolloutPolicy, now: number) =>
    planMoves(prompts, task, event, policy, now);

  async function view(experiment: Experiment, decisionLimit = defaultDecisionLimit): Promise<ExperimentView> {
    const [decisions, count] = await Promise.all([
      rollouts.listDecisions(experiment.experimentId, { limit: decisionLimit }),
      rollouts.countDecisions(experiment.experimentId),
    ]);
    const holdback =
      experiment.status === "promoted"
        ? await findHoldback(rollouts, await prompts.listLabels(experiment.task), experiment.task)
        : null;
    return toExperimentView(experiment, decisions, count, holdback?.experimentId === experiment.experimentId);
  }

  async function countsForTheRecord(experiment: Experiment, now: number): Promise<unknown> {
    if (experiment.status !== "running" && experiment.status !== "halted") return null;
    const stage = await readStageStatistics(deps, experiment, now);
    return { arms: stage.arms, latencyThresholdMs: stage.latencyThresholdMs };
  }

  /** Ends an experiment by hand (promote or rollback) with the label moves, in one transaction. */
  async function endByOperator(
    experiment: Experiment,
    action: "promote" | "rollback",
    moves: PlannedLabelMove[],
    context: ActionContext,
    now: number,
    withoutEvidence = false,
  ): Promise<ExperimentView> {
    const verb = action === "promote" ? "Promoted" : "Rolled back";
    await rollouts.recordDecision({
      decision: {
        experimentId: experiment.experimentId,
        action,
        reasonCode: "operator_override",
        reason: `${verb} by ${context.actor}: ${context.reason}`,
        statistics: await countsForTheRecord(experiment, now),
        stageIndex: experiment.stageIndex,
        actor: context.actor,
        decidedAt: now,
      },
      expected: experiment,
      change: { status: action === "promote" ? "promoted" : "rolled_back", endedAt: now },
      moves,
      moveParams: {
        byHand: action === "promote" ? "promoted" : "rolled_back",
        note: context.reason,
        ...(withoutEvidence && { withoutEvidence }),
      },
    });
    return view((await rollouts.getExperiment(experiment.experimentId))!);
  }

  return {
    startCanary: (candidateVersionId, options) =>
      exclusive(async (): Promise<StartCanaryResult> => {
        if (!options.manual && !deps.autoStartCanary) {
          return {
            started: false,
            reasonCode: "auto_start_disabled",
            reason: `AUTO_START_CANARY is off: ${candidateVersionId} waits for an operator's start-canary`,
          };
        }
        const minSessions = deps.autoStartMinSessions;
        if (!options.manual && minSessions !== undefined && (options.evidenceSessions ?? 0) < minSessions) {
          return {
            started: false,
            reasonCode: "too_few_sessions",
            reason:
              `the evidence for ${candidateVersionId} comes from ${options.evidenceSessions ?? 0} session(s), ` +
              `fewer than AUTO_START_CANARY_MIN_SESSIONS (${minSessions}): it waits for an operator's start-canary`,
          };
        }
        const candidate = await requireVersion(candidateVersionId);
        const task = candidate.definition.task;
        const open = await rollouts.findOpenExperiment(task);
        if (open) {
          throw new AppError(
            "ROLLOUT_CONFLICT",
            `Experiment ${open.experimentId} (${open.candidateVersionId}) is still ${open.status} for ${task}; ` +
              `promote or roll it back first`,
            { details: { experimentId: open.experimentId } },
          );
        }
        const now = deps.now();
        const moves = await plan(task, { kind: "start_canary", candidateVersionId }, deps.policy, now);
        const control = await requireVersion(activeVersionId(await prompts.listLabels(task), task)!);
        checkComparable(control, candidate);
        const policy = await snapshotPolicy(deps, candidate.definition, now);
        const share = policy.rampSteps[0]!.share;
        const experiment: Experiment = {
          experimentId: newExperimentId(task, candidateVersionId),
          task,
          controlVersionId: control.id,
          candidateVersionId,
          stageIndex: 0,
          startedAt: now,
          stageStartedAt: now,
          status: "running",
          policy,
          latencyThresholdMs: await controlLatencyThreshold(deps.interactions, {
            task,
            controlVersionId: control.id,
            before: now,
          }),
          startedBy: options.actor,
          startReason: options.reason,
          endedAt: null,
          updatedAt: now,
        };
        await rollouts.startExperiment(
          experiment,
          {
            experimentId: experiment.experimentId,
            action: "start",
            reasonCode: options.manual ? "started_by_operator" : "started_automatically",
            reason:
              `Canary of ${candidateVersionId} against ${control.id} started at ${Math.round(share * 100)}% ` +
              `by ${options.actor}: ${options.reason}${describeAdaptation(policy)}`,
            statistics: null,
            stageIndex: 0,
            actor: options.actor,
            decidedAt: now,
          },
          moves,
          options.manual ? { byHand: "started", note: options.reason } : undefined,
        );
        return { started: true, experiment: await view(experiment) };
      }),

    promote: (versionId, context) =>
      exclusive(async () => {
        const version = await requireVersion(versionId);
        const task = version.definition.task;
        const now = deps.now();
        const open = await rollouts.findOpenExperiment(task);
        if (open && open.candidateVersionId !== versionId) {
          throw new AppError(
            "ROLLOUT_CONFLICT",
            `Experiment ${open.experimentId} is testing ${open.candidateVersionId} for ${task}; promote or roll ` +
              `that back first`,
          );
        }
        const planned = await plan(
          task,
          { kind: "promote", candidateVersionId: versionId },
          open?.policy ?? deps.policy,
          now,
        );
        const evidence = await checkPromotionEvidence(deps, versionId, open, now, context.force === true);
        const forced =
          !evidence.stagePassed && (evidence.experimentId === null || evidence.trials < evidence.required);
        const moves = forced
          ? planned.map((move) => ({
              ...move,
              reason: `${move.reason} Promoted without evidence (${evidence.trials}/${evidence.required} labelled).`,
            }))
          : planned;
        if (open) {
          return {
            versionId,
            task,
            moves,
            experiment: await endByOperator(open, "promote", moves, context, now, forced),
          };
        }
        await rollouts.applyLabelMoves(moves, {
          actor: context.actor,
          reason: `(promoted by hand${forced ? " without evidence" : ""}: ${context.reason})`,
          now,
          params: { byHand: "promoted", note: context.reason, ...(forced && { withoutEvidence: true }) },
        });
        return { versionId, task, moves, experiment: null };
      }),

    rollback: (versionId, context) =>
      exclusive(async () => {
        const version = await requireVersion(versionId);
        const task = version.definition.task;
        const now = deps.now();
        const open = await rollouts.findOpenExperiment(task);
        if (open && open.candidateVersionId !== versionId) {
          throw new AppError(
            "ROLLOUT_CONFLICT",
            `Experiment ${open.experimentId} is testing ${open.candidateVersionId} against ${task}'s active ` +
              `version; end it before rolling ${versionId} back`,
          );
        }
        const policy = open?.policy ?? deps.policy;
        const moves = await plan(task, { kind: "rollback", candidateVersionId: versionId }, policy, now);
        if (open) {
          return {
            versionId,
            task,
            moves,
            experiment: await endByOperator(open, "rollback", moves, context, now),
          };
        }
        // A rollback after a promotion ends that experiment's story too: it is recorded there.
        const [promoted] = await rollouts.listExperiments({ task, statuses: ["promoted"] });
        if (promoted?.candidateVersionId === versionId) {
          return {
            versionId,
            task,
            moves,
            experiment: await endByOperator(promoted, "rollback", moves, context, now),
          };
        }
        await rollouts.applyLabelMoves(moves, {
          actor: context.actor,
          reason: `(rolled back by hand: ${context.reason})`,
          now,
          params: { byHand: "rolled_back", note: context.reason },
        });
        return { versionId, task, moves, experiment: null };
      }),

    retire: (versionId, context) =>
      exclusive(async () => {
        const version = await requireVersion(versionId);
        const task = version.definition.task;
        const now = deps.now();
        const moves = planRetirement({
          task,
          versionId,
          labels: await prompts.listLabels(task),
          moves: await prompts.listMoves(task),
        });
        await rollouts.applyLabelMoves(moves, {
          actor: context.actor,
          reason: `(retired by hand: ${context.reason})`,
          now,
          params: { byHand: "retired", note: context.reason },
        });
        return { versionId, task, moves, experiment: null };
      }),

    evaluateNow: (options = {}) =>
      exclusive(async () => {
        const now = deps.now();
        const actor = options.actor ?? "scheduler";
        const report: EvaluationReport = {
          evaluatedAt: new Date(now).toISOString(),
          decisions: [],
          failures: [],
          holdbacks: [],
          retired: [],
        };
        for (const experiment of await rollouts.listExperiments({ statuses: ["running"] })) {
          try {
            report.decisions.push(await evaluateExperiment(deps, experiment, now, actor));
          } catch (error) {
            report.failures.push({
              experimentId: experiment.experimentId,
              task: experiment.task,
              code: isAppError(error) ? error.code : "INTERNAL",
              message: (error as Error).message,
            });
          }
        }
        for (const task of new Set((await prompts.listLabels()).map((label) => label.task))) {
          if (await rollouts.findOpenExperiment(task)) continue;
          const holdback = await findHoldback(rollouts, await prompts.listLabels(task), task);
          if (!holdback) continue;
          try {
            report.holdbacks.push(await watchHoldback(deps, holdback, now, actor));
          } catch (error) {
            report.failures.push({
              experimentId: holdback.experimentId,
              task,
              code: isAppError(error) ? error.code : "INTERNAL",
              message: (error as Error).message,
            });
          }
        }
        report.retired = await retireExpiredVersions(deps, now);
        return report;
      }),

    async listExperiments(query = {}) {
      const experiments = await rollouts.listExperiments(
        query.task === undefined ? {} : { task: query.task },
      );
      return Promise.all(experiments.map((experiment) => view(experiment, query.decisionLimit)));
    },

    async getExperiment(id, options = {}) {
      const experiment = await rollouts.getExperiment(id);
      if (!experiment) throw new AppError("NOT_FOUND", `No experiment ${id}`);
      return view(experiment, options.decisionLimit);
    },
  };
}

/** A candidate must do the same job as control: same kind and, for a classifier, the same labels. */
function checkComparable(control: PromptVersion, candidate: PromptVersion): void {
  const a = control.definition;
  const b = candidate.definition;
  const sameLabels =
    JSON.stringify([...(a.labels ?? [])].sort()) === JSON.stringify([...(b.labels ?? [])].sort());
  if (a.kind !== b.kind || !sameLabels) {
    throw new AppError(
      "ROLLOUT_CONFLICT",
      `${candidate.id} (${b.kind}${b.labels ? `: ${b.labels.join("/")}` : ""}) cannot be compared with ` +
        `${control.id} (${a.kind}${a.labels ? `: ${a.labels.join("/")}` : ""}): a canary must keep the kind and labels`,
    );
  }
}
