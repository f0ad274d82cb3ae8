import { describe, expect, it } from "vitest";
import { hasValues, pivotSeries, type SeriesRow } from "./dashboard-data.js";

const day = 86_400_000;

function row(task: string, version: string, date: string, accuracy: number | null): SeriesRow {
  return {
    task,
    promptVersion: version,
    bucketStart: `${date}T00:00:00.000Z`,
    interactions: 10,
    feedbackEvents: 4,
    explicitFeedback: 2,
    coverage: 0.2,
    labelled: accuracy === null ? 0 : 2,
    correct: accuracy === null ? 0 : 1,
    accuracy,
    accuracyLow: accuracy === null ? null : 0.1,
    accuracyHigh: accuracy === null ? null : 0.9,
    ratings: 0,
    meanRating: null,
    exits: 1,
    exitRate: 0.1,
    exitsThroughReplies: 0,
    exitThroughReplyRate: 0,
    scoredTurns: 0,
    meanScore: null,
    meanScoreLow: null,
    meanScoreHigh: null,
    badTurns: 0,
    badTurnRate: null,
    badTurnRateLow: null,
    badTurnRateHigh: null,
  };
}

describe("pivotSeries", () => {
  it("makes one row per day from the first to the last, empty days included", () => {
    const series = [
      row("sentiment", "sentiment@v1", "2025-03-01", 0.5),
      row("sentiment", "sentiment@v2", "2025-03-03", 0.75),
      row("sentiment", "sentiment@v1", "2025-03-03", null),
      row("chat", "chat@v1", "2025-02-01", null),
    ];
    const { versions, rows } = pivotSeries(series, "sentiment", day);
    expect(versions).toEqual(["sentiment@v1", "sentiment@v2"]);
    expect(rows.map((r) => new Date(r.bucket).toISOString().slice(0, 10))).toEqual([
      "2025-03-01",
      "2025-03-02",
      "2025-03-03",
    ]);
    expect(rows.map((r) => Object.keys(r.byVersion).sort())).toEqual([
      ["sentiment@v1"],
      [],
      ["sentiment@v1", "sentiment@v2"],
    ]);
    expect(rows[2]?.byVersion["sentiment@v2"]?.accuracy).toBe(0.75);
    expect(hasValues(rows, (r) => r.accuracy)).toBe(true);
    expect(hasValues(rows, (r) => r.meanRating)).toBe(false);
  });

  it("keeps a bucket that is off the daily grid, in order", () => {
    const offGrid = {
      ...row("chat", "chat@v1", "2025-03-02", null),
      bucketStart: "2025-03-01T23:00:00.000Z",
    };
    const series = [
      row("chat", "chat@v1", "2025-03-01", null),
      row("chat", "chat@v1", "2025-03-03", null),
      offGrid,
    ];
    const { rows } = pivotSeries(series, "chat", day);
    expect(rows.map((r) => new Date(r.bucket).toISOString())).toEqual([
      "2025-03-01T00:00:00.000Z",
      "2025-03-01T23:00:00.000Z",
      "2025-03-02T00:00:00.000Z",
      "2025-03-03T00:00:00.000Z",
    ]);
  });

  it("returns no rows for a task without data", () => {
    expect(pivotSeries([row("chat", "chat@v1", "2025-03-01", null)], "sentiment", day)).toEqual({
      versions: [],
      rows: [],
    });
  });
});
