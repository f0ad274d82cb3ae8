import type { DayRow, VersionDay } from "./simulation-report.js";
import { dayMs } from "./simulation-settings.js";

interface Answer {
  at: number;
  version: string;
  correct: boolean;
}

interface DayCounts {
  users: number;
  refused: Record<string, number>;
  feedback: number;
  mistakenFeedback: number;
  exits: number;
  spamRequests: number;
  refusedFeedback: number;
}

/** Gold-label accounting of a run: what was answered, by which version, and whether it was right. */
export interface SimulationLedger {
  userArrived(at: number): void;
  /** An ordinary user's answered request; spammers' go through `spamRequest`. */
  answered(at: number, version: string, correct: boolean): void;
  refused(at: number, status: number): void;
  spamRequest(at: number): void;
  feedbackSent(at: number, mistaken: boolean): void;
  feedbackRefused(at: number): void;
  exited(at: number): void;
  /** A version's gold accuracy over [from, to); null when it gave no answer then. */
  accuracyBetween(version: string, from: number, to: number): number | null;
  /** Every answer per version, over the whole run. */
  versionTotals(): Map<string, { answers: number; correct: number }>;
  dayRows(): DayRow[];
}

const emptyDay = (): DayCounts => ({
  users: 0,
  refused: {},
  feedback: 0,
  mistakenFeedback: 0,
  exits: 0,
  spamRequests: 0,
  refusedFeedback: 0,
});

export function createSimulationLedger(startsAt: number, days: number): SimulationLedger {
  const answers: Answer[] = [];
  const counts = Array.from({ length: days }, emptyDay);
  // Sessions that start late on the last day may run a few minutes past it: they count on that day.
  const dayOf = (at: number) => Math.min(days - 1, Math.max(0, Math.floor((at - startsAt) / dayMs)));
  const countOf = (at: number) => counts[dayOf(at)]!;
  return {
    userArrived: (at) => void countOf(at).users++,
    answered: (at, version, correct) => void answers.push({ at, version, correct }),
    refused(at, status) {
      const refused = countOf(at).refused;
      refused[status] = (refused[status] ?? 0) + 1;
    },
    spamRequest: (at) => void countOf(at).spamRequests++,
    feedbackSent(at, mistaken) {
      const day = countOf(at);
      day.feedback++;
      if (mistaken) day.mistakenFeedback++;
    },
    feedbackRefused: (at) => void countOf(at).refusedFeedback++,
    exited: (at) => void countOf(at).exits++,
    accuracyBetween(version, from, to) {
      let total = 0;
      let correct = 0;
      for (const answer of answers) {
        if (answer.version !== version || answer.at < from || answer.at >= to) continue;
        total++;
        if (answer.correct) correct++;
      }
      return total === 0 ? null : correct / total;
    },
    versionTotals() {
      const totals = new Map<string, { answers: number; correct: number }>();
      for (const answer of answers) {
        const total = totals.get(answer.version) ?? { answers: 0, correct: 0 };
        total.answers++;
        if (answer.correct) total.correct++;
        totals.set(answer.version, total);
      }
      return totals;
    },
    dayRows() {
      const perDay = counts.map(() => new Map<string, { answers: number; correct: number }>());
      for (const answer of answers) {
        const versions = perDay[dayOf(answer.at)]!;
        const entry = versions.get(answer.version) ?? { answers: 0, correct: 0 };
        entry.answers++;
        if (answer.correct) entry.correct++;
        versions.set(answer.version, entry);
      }
      return counts.map((day, index) => {
        const versions = [...perDay[index]!.entries()].sort(([a], [b]) =>
          a.localeCompare(b, "en", { numeric: true }),
        );
        const total = versions.reduce((sum, [, entry]) => sum + entry.answers, 0);
        const correct = versions.reduce((sum, [, entry]) => sum + entry.correct, 0);
        const rows: VersionDay[] = versions.map(([version, entry]) => ({
          version,
          answers: entry.answers,
          share: entry.answers / total,
          correct: entry.correct,
          accuracy: entry.correct / entry.answers,
        }));
        return {
          day: index + 1,
          date: new Date(startsAt + index * dayMs).toISOString().slice(0, 10),
          ...day,
          answers: total,
          accuracy: total === 0 ? null : correct / total,
          versions: rows,
        };
      });
    },
  };
}
