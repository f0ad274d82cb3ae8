/** How simulated users answer what the service shows them. Every rate is a probability in [0, 1]. */
export interface UserBehaviour {
  /** P(a user gives explicit feedback on an answer). */
  feedbackRate: number;
  /** P(feedback on an answer the user takes to be wrong is a correction rather than a 👎). */
  correctionRate: number;
  /** P(a user's feedback is mistaken: 👍 on a wrong answer, 👎 or a wrong correction on a right one). */
  wrongFeedbackRate: number;
  /** P(a user leaves after a wrong answer: the page sends an exit and the user's other requests never come). */
  exitAfterWrongRate: number;
}

/** Who comes, when, and how they act. */
export interface TrafficSettings {
  /** Simulated days, from midnight UTC of the start day. */
  days: number;
  /** Ordinary users arriving each day, at times that follow a day/night cycle. */
  usersPerDay: number;
  /** Requests per user, uniform over the integers in [minimum, maximum]. */
  requestsPerUser: { minimum: number; maximum: number };
  behaviour: UserBehaviour;
  /** Sessions that correct every answer they get to `spamLabel`, every day. */
  spammers: number;
  /** Requests each spammer makes per day. */
  spammerRequestsPerDay: number;
  /** The label spammers push; null = the task's last label. */
  spamLabel: string | null;
  /** Seeds every random choice: the same seed and data give the same run. */
  seed: number;
  /** Epoch ms of the first simulated midnight (UTC). */
  startsAt: number;
}

/** The defaults of `promptloop simulate` (the example values). */
export const defaultUserBehaviour: UserBehaviour = {
  feedbackRate: 0.2,
  correctionRate: 0.5,
  wrongFeedbackRate: 0.05,
  exitAfterWrongRate: 0.2,
};

/** Monday 5 January 2026, 00:00 UTC: a fixed start, so that runs repeat exactly. */
export const defaultSimulationStart = Date.UTC(2026, 0, 5);

export const hourMs = 3_600_000;
export const dayMs = 24 * hourMs;
