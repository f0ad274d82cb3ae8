import type { AnalysisOutcome } from "../analysis/job/analysis-service.js";
import type { PromptStore } from "../prompts/store/prompt-store.js";
import type { DecisionView, ExperimentView } from "../rollout/service/experiment-view.js";
import type { RolloutService } from "../rollout/service/rollout-service.js";
import { promptMentions } from "./core/prompt-mentions.js";
import type { SimulationLedger } from "./core/simulation-ledger.js";
import type { TimelineEvent } from "./core/simulation-report.js";
import { dayMs } from "./core/simulation-settings.js";

export interface LoopObserverDeps {
  prompts: PromptStore;
  rollout: RolloutService;
  ledger: SimulationLedger;
  blindSpots: readonly string[];
  startsAt: number;
  /** The task the simulated users use; the timeline reports the analysis of this one. */
  task: string;
}

/** The candidate's share of users once a decision is applied. */
function shareAfter(decision: DecisionView, experiment: ExperimentView): number {
  switch (decision.action) {
    case "start":
      return experiment.rampShares[0] ?? 0;
    case "ramp":
      return experiment.rampShares[decision.stageIndex + 1] ?? 1;
    case "promote":
      return 1;
    case "continue":
      return experiment.rampShares[decision.stageIndex] ?? 0;
    default:
      return 0;
  }
}

/**
 * Turns what the loop did into the run's timeline: each analysis run and its drafts (from the outcome), and
 * every rollout decision other than "continue" (read back from the rollout's own records after each scheduled
 * job, so canaries started by the analysis hooks are seen too).
 */
export function createLoopObserver(deps: LoopObserverDeps) {
  const events: TimelineEvent[] = [];
  const seenDecisions = new Map<string, number>();
  const stamp = (at: number) => ({
    at: new Date(at).toISOString(),
    day: Math.floor((at - deps.startsAt) / dayMs) + 1,
  });

  async function mentionsOf(versionId: string): Promise<string[]> {
    const version = await deps.prompts.getVersion(versionId);
    return version ? promptMentions(version.definition, deps.blindSpots) : [];
  }

  function goldAccuracy(experiment: ExperimentView, decidedAt: number) {
    const from = Date.parse(experiment.startedAt);
    return {
      control: deps.ledger.accuracyBetween(experiment.control, from, decidedAt),
      candidate: deps.ledger.accuracyBetween(experiment.candidate, from, decidedAt),
    };
  }

  return {
    events,

    async analysisRan(outcome: AnalysisOutcome, at: number): Promise<void> {
      // Only the simulated task: the registry's other tasks get no simulated traffic, so nothing to say.
      for (const task of outcome.report.tasks.filter((t) => t.task === deps.task)) {
        const top = task.mining?.patterns[0];
        events.push({
          ...stamp(at),
          type: "analysis",
          status: outcome.status,
          decision: `${task.task}: ${task.recommendation.decision}`,
          reason: task.recommendation.reason.en,
          reportId: outcome.reportId,
          topPattern: top ? `${top.title} (${top.errorSupport}/${top.support} wrong)` : null,
        });
      }
      for (const draft of outcome.drafts) {
        events.push({
          ...stamp(at),
          type: "draft",
          version: draft.versionId,
          strategy: draft.candidate,
          created: draft.created,
          mentions: await mentionsOf(draft.versionId),
        });
      }
    },

    /** The experiments still running, with what their latest look said they wait for. */
    async stillRunning(): Promise<{ candidate: string; share: number; waitingFor: string }[]> {
      const running = await deps.rollout.listExperiments({ decisionLimit: 1 });
      return running
        .filter((experiment) => experiment.status === "running")
        .map((experiment) => ({
          candidate: experiment.candidate,
          share: experiment.share,
          waitingFor: experiment.decisions[0]?.reason ?? "",
        }));
    },

    /** Reads the rollout decisions made since the last call. */
    async rolloutLooked(): Promise<void> {
      for (const experiment of await deps.rollout.listExperiments({ decisionLimit: 5 })) {
        const seen = seenDecisions.get(experiment.id) ?? 0;
        const fresh = experiment.decisions.filter((d) => d.id > seen).sort((a, b) => a.id - b.id);
        for (const decision of fresh) {
          seenDecisions.set(experiment.id, decision.id);
          if (decision.action === "continue") continue;
          const decidedAt = Date.parse(decision.decidedAt);
          const ended = decision.action !== "start" && decision.action !== "ramp";
          events.push({
            ...stamp(decidedAt),
            type: decision.action === "start" ? "canary" : decision.action,
            experimentId: experiment.id,
            control: experiment.control,
            candidate: experiment.candidate,
            share: shareAfter(decision, experiment),
            reasonCode: decision.reasonCode,
            reason: decision.reason,
            goldAccuracy: ended ? goldAccuracy(experiment, decidedAt) : null,
          });
        }
      }
    },
  };
}

export type LoopObserver = ReturnType<typeof createLoopObserver>;
