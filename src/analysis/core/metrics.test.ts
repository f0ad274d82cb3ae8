import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { InteractionWithFeedback } from "./analysis-input.js";
import { createMetricsAccumulator } from "./metrics.js";
import { resolveGroundTruth } from "./resolve-ground-truth.js";
import type { EventSpec } from "./test-support/interaction-builder.js";
import { buildInteraction, correction, thumbsDown, thumbsUp } from "./test-support/interaction-builder.js";

const day = 86_400_000;
const t0 = Date.UTC(2025, 2, 1);
const tasks = [{ task: "sentiment", labels: ["正面", "负面"] }, { task: "chat" }];

function run(items: InteractionWithFeedback[], bucketOffsetMs = 0) {
  const metrics = createMetricsAccumulator({ tasks, bucketMs: day, bucketOffsetMs });
  for (const item of items) {
    const labels = tasks.find((task) => task.task === item.interaction.task)?.labels;
    metrics.add(item, resolveGroundTruth(item, labels));
  }
  return metrics;
}

describe("createMetricsAccumulator", () => {
  const items = [
    buildInteraction({ predictedLabel: "正面", createdAt: t0, events: [thumbsUp] }),
    buildInteraction({ predictedLabel: "正面", createdAt: t0 + 1000, events: [correction("负面")] }),
    buildInteraction({
      predictedLabel: "负面",
      createdAt: t0 + 2000,
      events: [thumbsDown, { type: "exit", payload: {} }],
    }),
    buildInteraction({
      predictedLabel: "负面",
      createdAt: t0 + 3000,
      events: [{ type: "dwell", payload: { ms: 900 } }],
    }),
    buildInteraction({ predictedLabel: "正面", createdAt: t0 + day, events: [thumbsUp] }),
    buildInteraction({
      task: "chat",
      promptVersionId: "chat@v1",
      predictedLabel: null,
      createdAt: t0,
      events: [
        { type: "rating", payload: { score: 2 } },
        { type: "rating", payload: { score: 4 } },
        { type: "follow_up", payload: {} },
      ],
    }),
    buildInteraction({
      task: "chat",
      promptVersionId: "chat@v1",
      predictedLabel: null,
      createdAt: t0,
      events: [{ type: "exit", payload: {} }],
    }),
  ];

  it("keeps exits credited through a reply apart from the interaction's own exits, once per parent", () => {
    const exit: EventSpec = { type: "exit", payload: {} };
    const classification = buildInteraction({ createdAt: t0, events: [thumbsUp] });
    const reply = (events: EventSpec[]) => {
      const item = buildInteraction({
        task: "chat",
        promptVersionId: "chat@v1",
        predictedLabel: null,
        createdAt: t0,
        events,
      });
      return { ...item, interaction: { ...item.interaction, parentId: classification.interaction.id } };
    };
    const unrelated = buildInteraction({ createdAt: t0 });
    const orphan = reply([exit]);
    orphan.interaction.parentId = "not-seen";
    const [chat, sentiment] = run([classification, unrelated, reply([exit]), reply([exit]), orphan]).totals();
    expect(sentiment).toMatchObject({
      interactions: 2,
      exits: 0,
      exitsThroughReplies: 1,
      exitThroughReplyRate: 0.5,
    });
    expect(chat).toMatchObject({ interactions: 3, exits: 3, exitsThroughReplies: 0 });
    const [, sentimentDay] = run([classification, reply([exit])]).series();
    expect(sentimentDay).toMatchObject({ bucketStart: t0, exitsThroughReplies: 1 });
  });

  it("counts labelled accuracy, confusion, coverage and exits per version", () => {
    const [chat, sentiment] = run(items).totals();
    expect(sentiment).toMatchObject({
      task: "sentiment",
      promptVersionId: "sentiment@v1",
      bucketStart: null,
      interactions: 5,
      feedbackEvents: 6,
      explicitFeedback: 4,
      coverage: 0.8,
      labelled: 4,
      correct: 2,
      errors: 2,
      accuracy: 0.5,
      errorRate: 0.5,
      exits: 1,
      exitRate: 0.2,
      exitsThroughReplies: 0,
      ratings: 0,
      meanRating: null,
    });
    expect(sentiment!.confusion).toEqual([
      { gold: "正面", predicted: "正面", count: 2 },
      { gold: "正面", predicted: "负面", count: 1 },
      { gold: "负面", predicted: "正面", count: 1 },
    ]);
    expect(sentiment!.accuracyLow).toBeLessThan(0.5);
    expect(sentiment!.accuracyHigh).toBeGreaterThan(0.5);
    expect(chat).toMatchObject({
      task: "chat",
      interactions: 2,
      ratings: 1,
      meanRating: 4,
      exits: 1,
      followUps: 1,
      labelled: 0,
    });
    expect(chat!.accuracy).toBeNull();
  });

  it("splits rows by window, oldest first", () => {
    const series = run(items)
      .series()
      .filter((row) => row.task === "sentiment");
    expect(series.map((row) => [row.bucketStart, row.interactions, row.labelled])).toEqual([
      [t0, 4, 3],
      [t0 + day, 1, 1],
    ]);
  });

  it("moves window boundaries with the offset", () => {
    const eightHours = 8 * 3_600_000;
    const series = run(items, -eightHours)
      .series()
      .filter((row) => row.task === "sentiment");
    expect(series.map((row) => row.bucketStart)).toEqual([t0 - eightHours, t0 + day - eightHours]);
  });

  it("totals equal the sum of the windows", () => {
    const eventArb = fc.constantFrom<EventSpec>(
      thumbsUp,
      thumbsDown,
      correction("负面"),
      { type: "exit", payload: {} },
      {
        type: "rating",
        payload: { score: 3 },
      },
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            offset: fc.integer({ min: 0, max: 10 * day }),
            events: fc.array(eventArb, { maxLength: 3 }),
          }),
          {
            maxLength: 40,
          },
        ),
        (specs) => {
          const metrics = run(
            specs.map((spec) => buildInteraction({ createdAt: t0 + spec.offset, events: spec.events })),
          );
          const series = metrics.series();
          const total = metrics.totals()[0];
          if (specs.length === 0) {
            expect(total).toBeUndefined();
            return;
          }
          for (const field of [
            "interactions",
            "labelled",
            "correct",
            "exits",
            "ratings",
            "feedbackEvents",
          ] as const) {
            expect(series.reduce((sum, row) => sum + row[field], 0)).toBe(total![field]);
          }
        },
      ),
    );
  });
});
