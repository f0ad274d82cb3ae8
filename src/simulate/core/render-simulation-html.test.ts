import { describe, expect, it } from "vitest";
import { formatSimulationText } from "./format-simulation-text.js";
import { renderSimulationHtml } from "./render-simulation-html.js";
import type { SimulationReport } from "./simulation-report.js";

const hostile = `<img src=x onerror=alert(1)>`;

function report(): SimulationReport {
  const day = (n: number, accuracy: number) => ({
    day: n,
    date: `2026-01-0${4 + n}`,
    users: 10,
    answers: 20,
    refused: {},
    accuracy,
    versions: [{ version: "t@v1", answers: 20, share: 1, correct: Math.round(accuracy * 20), accuracy }],
    feedback: 4,
    mistakenFeedback: 0,
    exits: 1,
    spamRequests: 0,
    refusedFeedback: 0,
  });
  return {
    model: { name: "scripted", scripted: true, blindSpots: ["设施"], note: "SCRIPTED MODEL: test" },
    dataset: {
      file: `${hostile}.csv`,
      items: 3,
      labels: { 正面: 2, 负面: 1 },
      blindSpotShare: { 设施: 1 / 3 },
    },
    settings: {
      startsAt: "2026-01-05T00:00:00.000Z",
      days: 2,
      usersPerDay: 10,
      rolloutPreset: "balanced",
      seed: 1,
    },
    days: [day(1, 0.8), day(2, 0.9)],
    events: [
      {
        at: "2026-01-05T03:00:00.000Z",
        day: 1,
        type: "canary",
        experimentId: "e1",
        control: "t@v1",
        candidate: "t@v2",
        share: 0.1,
        reasonCode: "started_automatically",
        reason: hostile,
        goldAccuracy: null,
      },
    ],
    versions: [],
    summary: {
      firstDayAccuracy: 0.8,
      lastDayAccuracy: 0.9,
      gainPoints: 10,
      promoted: [],
      harmfulPromotions: [],
      verdict: "Nothing shipped yet",
    },
  };
}

describe("renderSimulationHtml", () => {
  it("escapes every text from the data set and the loop, and loads nothing", () => {
    const html = renderSimulationHtml(report());
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).not.toMatch(/<script|<link|src="http/);
    expect(html).toContain("default-src 'none'");
  });

  it("draws the accuracy and share charts with the canary as a marker", () => {
    const html = renderSimulationHtml(report());
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain(`class="markerlabel">canary v2</text>`);
  });
});

describe("formatSimulationText", () => {
  it("leads with what the model is, then one row per day and the timeline", () => {
    const text = formatSimulationText(report());
    const lines = text.split("\n");
    expect(lines[0]).toBe("SCRIPTED MODEL: test");
    expect(lines[1]).toContain("设施 in 33.3% of the items");
    expect(text).toMatch(/^2 +2026-01-06 +10 +20 +0 +4 \(0 wrong\) +1 +90\.0% +t@v1 100% · 90\.0%$/m);
    expect(text).toMatch(/day {2}1 03:00 {2}canary {4}t@v2 → 10% \(started_automatically\)/);
  });
});
