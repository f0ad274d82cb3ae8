import { AppError } from "../../errors.js";
import { defaultSimulationStart, defaultUserBehaviour, type TrafficSettings } from "./simulation-settings.js";

/** The traffic flags of `promptloop simulate`, as commander hands them over (strings, or undefined when absent). */
export interface TrafficFlags {
  days?: string | undefined;
  usersPerDay?: string | undefined;
  requestsPerUser?: string | undefined;
  feedbackRate?: string | undefined;
  correctionRate?: string | undefined;
  wrongFeedbackRate?: string | undefined;
  exitAfterWrong?: string | undefined;
  spammers?: string | undefined;
  spammerRequests?: string | undefined;
  spamLabel?: string | undefined;
  seed?: string | undefined;
}

function invalid(flag: string, value: string, expected: string): AppError {
  return new AppError("VALIDATION_FAILED", `${flag} "${value}" is not ${expected}`);
}

function integer(
  flag: string,
  value: string | undefined,
  fallback: number,
  minimum: number,
  maximum: number,
) {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^\s*-?\d+\s*$/.test(value) || parsed < minimum || parsed > maximum) {
    throw invalid(flag, value, `a whole number from ${minimum} to ${maximum}`);
  }
  return parsed;
}

function rate(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (value.trim() === "" || !Number.isFinite(parsed) || parsed < 0 || parsed > 1) {
    throw invalid(flag, value, "a probability from 0 to 1");
  }
  return parsed;
}

function range(value: string | undefined): { minimum: number; maximum: number } {
  if (value === undefined) return { minimum: 1, maximum: 3 };
  const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(value);
  const minimum = Number(match?.[1]);
  const maximum = match?.[2] === undefined ? minimum : Number(match[2]);
  if (!match || minimum < 1 || maximum < minimum || maximum > 1000) {
    throw invalid("--requests-per-user", value, "a count or a range such as 1-3 (from 1 to 1000)");
  }
  return { minimum, maximum };
}

/** The traffic settings from the flags, each checked, with a message naming the flag that is wrong. */
export function trafficFromFlags(flags: TrafficFlags, labels: readonly string[]): TrafficSettings {
  const spamLabel = flags.spamLabel ?? null;
  if (spamLabel !== null && !labels.includes(spamLabel)) {
    throw invalid("--spam-label", spamLabel, `one of the task's labels (${labels.join(", ")})`);
  }
  return {
    days: integer("--days", flags.days, 14, 1, 366),
    usersPerDay: integer("--users-per-day", flags.usersPerDay, 1000, 0, 1_000_000),
    requestsPerUser: range(flags.requestsPerUser),
    behaviour: {
      feedbackRate: rate("--feedback-rate", flags.feedbackRate, defaultUserBehaviour.feedbackRate),
      correctionRate: rate("--correction-rate", flags.correctionRate, defaultUserBehaviour.correctionRate),
      wrongFeedbackRate: rate(
        "--wrong-feedback-rate",
        flags.wrongFeedbackRate,
        defaultUserBehaviour.wrongFeedbackRate,
      ),
      exitAfterWrongRate: rate(
        "--exit-after-wrong",
        flags.exitAfterWrong,
        defaultUserBehaviour.exitAfterWrongRate,
      ),
    },
    spammers: integer("--spammers", flags.spammers, 0, 0, 1000),
    spammerRequestsPerDay: integer("--spammer-requests", flags.spammerRequests, 40, 1, 100_000),
    spamLabel,
    seed: integer("--seed", flags.seed, 1, 0, 2 ** 32 - 1),
    startsAt: defaultSimulationStart,
  };
}
