import { describe, expect, it } from "vitest";
import { createSimulationLedger } from "./simulation-ledger.js";
import { dayMs } from "./simulation-settings.js";

describe("createSimulationLedger", () => {
  const start = Date.UTC(2026, 0, 5);
  const ledger = createSimulationLedger(start, 2);
  ledger.userArrived(start + 1000);
  ledger.answered(start + 1000, "t@v1", true);
  ledger.answered(start + 2000, "t@v1", false);
  ledger.answered(start + 3000, "t@v2", true);
  ledger.answered(start + 3000, "t@v10", true);
  ledger.refused(start + 4000, 413);
  ledger.feedbackSent(start + 5000, true);
  ledger.answered(start + dayMs + 1, "t@v2", true);
  // A session that runs past the last midnight counts on the last day.
  ledger.answered(start + 2 * dayMs + 60_000, "t@v2", false);
  const [first, second] = ledger.dayRows();

  it("counts each day's answers per version, with shares and gold accuracy", () => {
    expect(first).toMatchObject({ day: 1, date: "2026-01-05", users: 1, answers: 4, accuracy: 0.75 });
    expect(first!.refused).toEqual({ 413: 1 });
    expect(first!.feedback).toBe(1);
    expect(first!.mistakenFeedback).toBe(1);
    expect(first!.versions.map((v) => [v.version, v.share, v.accuracy])).toEqual([
      ["t@v1", 0.5, 0.5],
      ["t@v2", 0.25, 1],
      ["t@v10", 0.25, 1],
    ]);
    expect(second).toMatchObject({ day: 2, answers: 2, accuracy: 0.5 });
  });

  it("answers a version's accuracy over a window, and its totals", () => {
    expect(ledger.accuracyBetween("t@v1", start, start + 1500)).toBe(1);
    expect(ledger.accuracyBetween("t@v1", start, start + dayMs)).toBe(0.5);
    expect(ledger.accuracyBetween("t@v3", start, start + dayMs)).toBeNull();
    expect(ledger.versionTotals().get("t@v2")).toEqual({ answers: 3, correct: 2 });
  });
});
