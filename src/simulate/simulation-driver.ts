import type { AnalysisService } from "../analysis/job/analysis-service.js";
import type { RolloutService } from "../rollout/service/rollout-service.js";
import type { RandomSource } from "../statistics/seeded-random.js";
import type { LabelledItem } from "./core/labelled-items.js";
import { createItemDeck, planDay, type PlannedRequest, type PlannedSession } from "./core/session-plan.js";
import type { SimulationLedger } from "./core/simulation-ledger.js";
import { dayMs, type TrafficSettings } from "./core/simulation-settings.js";
import { createTimedQueue } from "./core/timed-queue.js";
import { reactToAnswer, spammerReaction, type LabelFeedback } from "./core/user-reaction.js";
import type { LoopObserver } from "./loop-observer.js";
import type { ServedAnswer, SimulatedClient } from "./simulated-client.js";
import type { SimulatedSchedule } from "./simulated-schedule.js";

interface SessionState extends PlannedSession {
  exited: boolean;
}

type Action =
  | { kind: "day"; day: number }
  | { kind: "request"; session: SessionState; request: PlannedRequest; first: boolean }
  | { kind: "feedback"; session: SessionState; answer: ServedAnswer; event: LabelFeedback; mistaken: boolean }
  | { kind: "exit"; session: SessionState; answer: ServedAnswer }
  | { kind: "analysis" }
  | { kind: "look" };

/** Where the simulation stands, for the progress bar. */
export interface SimulationProgress {
  simulatedHours: number;
  totalHours: number;
  analysisRuns: number;
  answers: number;
}

export interface SimulationDriverDeps {
  items: readonly LabelledItem[];
  labels: readonly string[];
  traffic: TrafficSettings;
  client: SimulatedClient;
  analysis: AnalysisService;
  rollout: RolloutService;
  /** ANALYSIS_CRON and ROLLOUT_CRON on the simulated clock; null when the setting turns the schedule off. */
  schedules: { analysis: SimulatedSchedule | null; rollout: SimulatedSchedule | null };
  ledger: SimulationLedger;
  observer: LoopObserver;
  random: RandomSource;
  /** Sets the clock every service reads (the composition root's `now`). */
  setClock: (at: number) => void;
  onProgress?: (progress: SimulationProgress) => void;
  /** A scheduled job that failed, as serve would log it. */
  onJobError?: (job: string, error: unknown) => void;
}

/** Seconds between an answer and the feedback on it (the user reads it first). */
const dwellSeconds = { minimum: 3, maximum: 40 };

/**
 * Runs the simulated days: users' requests and feedback, the analysis on ANALYSIS_CRON and the rollout's looks on
 * ROLLOUT_CRON, all in time order on one simulated clock. Everything runs one at a time, so one seed gives one
 * run. Sessions that start late on the last day finish after it; no scheduled job runs past the end.
 */
export async function driveSimulation(deps: SimulationDriverDeps): Promise<void> {
  const { traffic, ledger, observer, random } = deps;
  const queue = createTimedQueue<Action>();
  const deck = createItemDeck(deps.items.length, random);
  const end = traffic.startsAt + traffic.days * dayMs;
  const spamLabel = traffic.spamLabel ?? deps.labels.at(-1)!;
  const spammers = new Map<string, SessionState>();
  let analysisRuns = 0;
  let answers = 0;

  const scheduleNext = (schedule: SimulatedSchedule | null, after: number, action: Action) => {
    const at = schedule?.nextAfter(after);
    if (at != null && at < end) queue.add(at, action);
  };
  queue.add(traffic.startsAt, { kind: "day", day: 0 });
  scheduleNext(deps.schedules.analysis, traffic.startsAt - 1, { kind: "analysis" });
  scheduleNext(deps.schedules.rollout, traffic.startsAt - 1, { kind: "look" });

  async function request(at: number, session: SessionState, planned: PlannedRequest, first: boolean) {
    if (session.exited) return;
    const item = deps.items[planned.item]!;
    if (!session.spammer && first) ledger.userArrived(at);
    const reply = await deps.client.classify(item.text, session.sessionId);
    if (!reply.ok) {
      if (!session.spammer) ledger.refused(at, reply.status);
      return;
    }
    const { answer } = reply;
    let reaction;
    if (session.spammer) {
      ledger.spamRequest(at);
      reaction = spammerReaction(spamLabel, item.gold);
    } else {
      answers++;
      ledger.answered(at, answer.promptVersion, answer.label === item.gold);
      reaction = reactToAnswer(
        { gold: item.gold, predicted: answer.label, labels: deps.labels },
        traffic.behaviour,
        random,
      );
    }
    const span = dwellSeconds.maximum - dwellSeconds.minimum;
    const feedbackAt = at + 1000 * (dwellSeconds.minimum + Math.floor(random() * (span + 1)));
    if (reaction.feedback) {
      queue.add(feedbackAt, {
        kind: "feedback",
        session,
        answer,
        event: reaction.feedback,
        mistaken: reaction.mistaken,
      });
    }
    if (reaction.exits) {
      session.exited = true;
      queue.add(feedbackAt + 1000, { kind: "exit", session, answer });
    }
  }

  async function runJob(job: "analysis" | "look", at: number) {
    try {
      if (job === "analysis") {
        analysisRuns++;
        await observer.analysisRan(await deps.analysis.run({ trigger: "schedule" }), at);
      } else {
        await deps.rollout.evaluateNow();
      }
    } catch (error) {
      deps.onJobError?.(job === "analysis" ? "scheduled analysis" : "rollout look", error);
    }
    await observer.rolloutLooked();
  }

  for (let next = queue.take(); next; next = queue.take()) {
    const { at, item: action } = next;
    deps.setClock(at);
    switch (action.kind) {
      case "day": {
        for (const planned of planDay(action.day, traffic, deck, random)) {
          // A spammer keeps one session (and so one arm) for the whole run.
          const session = planned.spammer
            ? Object.assign(spammers.get(planned.sessionId) ?? { ...planned, exited: false }, {
                requests: planned.requests,
              })
            : { ...planned, exited: false };
          if (planned.spammer) spammers.set(planned.sessionId, session);
          session.requests.forEach((request, index) =>
            queue.add(request.at, { kind: "request", session, request, first: index === 0 }),
          );
        }
        if (action.day + 1 < traffic.days) queue.add(at + dayMs, { kind: "day", day: action.day + 1 });
        break;
      }
      case "request":
        await request(at, action.session, action.request, action.first);
        break;
      case "feedback": {
        const status = await deps.client.feedback(action.answer, action.session.sessionId, action.event);
        if (status !== 202) ledger.feedbackRefused(at);
        else if (!action.session.spammer) ledger.feedbackSent(at, action.mistaken);
        break;
      }
      case "exit":
        await deps.client.feedback(action.answer, action.session.sessionId, { type: "exit" });
        ledger.exited(at);
        break;
      case "analysis":
        await runJob("analysis", at);
        scheduleNext(deps.schedules.analysis, at, { kind: "analysis" });
        break;
      case "look":
        await runJob("look", at);
        scheduleNext(deps.schedules.rollout, at, { kind: "look" });
        break;
    }
    deps.onProgress?.({
      simulatedHours: Math.min(traffic.days * 24, (at - traffic.startsAt) / 3_600_000),
      totalHours: traffic.days * 24,
      analysisRuns,
      answers,
    });
  }
}
