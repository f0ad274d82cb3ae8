/** One version's part of a day: the share of answers it gave and how many were right against the gold labels. */
export interface VersionDay {
  version: string;
  answers: number;
  /** answers / all answers of the day. */
  share: number;
  correct: number;
  /** correct / answers, against the gold labels (which the loop never sees). */
  accuracy: number;
}

/** One simulated day, ordinary users only (spammers' requests are counted apart). */
export interface DayRow {
  /** 1-based. */
  day: number;
  /** The simulated date, YYYY-MM-DD (UTC). */
  date: string;
  /** Users whose first request fell on this day. */
  users: number;
  /** Answers given (requests the service classified). */
  answers: number;
  /** Requests the service refused (any error answer), by status code. */
  refused: Record<string, number>;
  /** All answers of the day against the gold labels; null without answers. */
  accuracy: number | null;
  versions: VersionDay[];
  /** Explicit label feedback users sent (👍, 👎, corrections), and how much of it was mistaken. */
  feedback: number;
  mistakenFeedback: number;
  exits: number;
  /** Requests and corrections from spammer sessions. */
  spamRequests: number;
  /** Feedback the service refused (any error answer), e.g. a missing token or a cap. */
  refusedFeedback: number;
}

/** What happened in the loop, in time order. */
export type TimelineEvent = { at: string; day: number } & (
  | {
      type: "analysis";
      status: string;
      /** Per task: create_draft or no_change, with the reason in English. */
      decision: string;
      reason: string;
      reportId: string;
      /** The top error pattern, when the run mined any. */
      topPattern: string | null;
    }
  | {
      type: "draft";
      version: string;
      /** The candidate strategy that produced it (rules, exemplars, memory, rewrite). */
      strategy: string;
      /** `false`: the recommended candidate matched a stored version, which was reused. */
      created: boolean;
      /** The blind-spot words its prompt mentions (scripted model only). */
      mentions: string[];
    }
  | {
      type: "canary" | "ramp" | "promote" | "rollback" | "halt";
      experimentId: string;
      control: string;
      candidate: string;
      /** The candidate's share of users after this event. */
      share: number;
      reasonCode: string;
      reason: string;
      /** Gold accuracy of both arms over the experiment so far (promote, rollback and halt). */
      goldAccuracy: { control: number | null; candidate: number | null } | null;
    }
);

/** A prompt version that served or was proposed during the run. */
export interface VersionSummary {
  id: string;
  parent: string | null;
  /** Where it came from: a prompt file, the analysis, an operator. */
  source: string;
  createdAt: string;
  /** The label it holds at the end of the run (active, canary, pending_retirement, retired), or none. */
  finalLabel: string | null;
  /** The blind-spot words its prompt mentions (scripted model only). */
  mentions: string[];
  answers: number;
  /** Over every answer it gave to users; null if it never served. */
  accuracy: number | null;
  /** Replayed offline on the gold set (`goldItems` items of the data set), whether or not it served. */
  goldAccuracy: number | null;
  goldItems: number;
}

/** The whole run: `promptloop simulate --json` prints exactly this. */
export interface SimulationReport {
  model: { name: string; scripted: boolean; blindSpots: string[]; note: string };
  dataset: {
    file: string;
    items: number;
    labels: Record<string, number>;
    blindSpotShare: Record<string, number>;
  };
  settings: Record<string, unknown>;
  days: DayRow[];
  events: TimelineEvent[];
  versions: VersionSummary[];
  summary: {
    firstDayAccuracy: number | null;
    lastDayAccuracy: number | null;
    /** Points gained from the first day to the last (percentage points). */
    gainPoints: number | null;
    promoted: string[];
    /** Promoted versions whose offline gold accuracy is below their control's. */
    harmfulPromotions: string[];
    /** The model had nothing to learn, or the loop shipped nothing: why, in one sentence. */
    verdict: string;
  };
}

/** A rollout event of the timeline: a canary start or a decision other than "continue". */
export type RolloutEvent = Extract<TimelineEvent, { share: number }>;

export function isRolloutEvent(event: TimelineEvent): event is RolloutEvent {
  return "share" in event;
}
