import { parseFeedbackBody } from "../../feedback/feedback-event.js";
import { describe, expect, it } from "vitest";
import type { ArmStatistics } from "../core/rollout-state.js";
import type { FeedbackType, InteractionWithFeedback } from "../../feedback/store/interaction-store.js";
import { createArmStatisticsAccumulator, percentile } from "./arm-statistics.js";

let ids = 0;
function item(
  arm: string | null,
  options: {
    label?: string | null;
    status?: "ok" | "error" | "cancelled";
    session?: string | null;
    latencyMs?: number;
    version?: string;
    feedback?: Array<[FeedbackType, Record<string, unknown>?]>;
  } = {},
): InteractionWithFeedback {
  const id = `i${++ids}`;
  const status = options.status ?? "ok";
  return {
    interaction: {
      id,
      task: "sentiment",
      promptVersionId: options.version ?? (arm === "candidate" ? "sentiment@v2" : "sentiment@v1"),
      parentId: null,
      sessionHash: options.session === undefined ? `session-${id}` : options.session,
      userHash: null,
      input: "x",
      output: null,
      label: status === "ok" ? (options.label === undefined ? "正面" : options.label) : null,
      confidence: null,
      latencyMs: options.latencyMs ?? 100,
      status,
      errorCode: null,
      experimentId: arm === null ? null : "exp-1",
      arm,
      createdAt: 0,
      completedAt: 0,
    },
    events: (options.feedback ?? []).map(([type, payload = {}], index) => ({
      id: index + 1,
      interactionId: id,
      ...parseFeedbackBody(type, payload),
      sessionHash: null,
      createdAt: 0,
    })),
  };
}

const labels = new Map<string, readonly string[] | undefined>([
  ["sentiment@v1", ["正面", "负面"]],
  ["sentiment@v2", ["正面", "负面"]],
  ["chat@v1", undefined],
]);

function countsOf(items: InteractionWithFeedback[], latencyThresholdMs: number | null = 150) {
  const accumulator = createArmStatisticsAccumulator({ labelsByVersion: labels, latencyThresholdMs });
  for (const entry of items) accumulator.add(entry);
  return accumulator.result();
}

describe("createArmStatisticsAccumulator", () => {
  it.each<[string, InteractionWithFeedback, Partial<ArmStatistics>]>([
    [
      "a completed request without feedback",
      item("candidate"),
      {
        assignedUnits: 1,
        requests: 1,
        exposures: 1,
        labelled: 0,
        feedbackEvents: 0,
        labelCounts: { 正面: 1 },
      },
    ],
    [
      "👍: labelled, right, explicit and not negative",
      item("candidate", { feedback: [["label_confirm", { correct: true }]] }),
      { labelled: 1, errors: 0, feedbackEvents: 1, negativeFeedback: 0 },
    ],
    [
      "a correction to the other label: an error and negative feedback",
      item("candidate", { feedback: [["label_correct", { label: "负面" }]] }),
      { labelled: 1, errors: 1, feedbackEvents: 1, negativeFeedback: 1 },
    ],
    [
      "a correction naming the predicted label: a confirmation",
      item("candidate", { feedback: [["label_correct", { label: "正面" }]] }),
      { labelled: 1, errors: 0, negativeFeedback: 0 },
    ],
    [
      "implicit feedback only: not explicit, not labelled",
      item("candidate", { feedback: [["dwell", { ms: 5 }], ["copy"]] }),
      { labelled: 0, feedbackEvents: 0 },
    ],
    ["an exit on the interaction", item("candidate", { feedback: [["exit"]] }), { exposures: 1, exits: 1 }],
    [
      "an engine failure: a request, not an exposure, no label",
      item("candidate", { status: "error", feedback: [["exit"]] }),
      { requests: 1, engineErrors: 1, exposures: 0, exits: 0, labelCounts: {} },
    ],
    [
      "a cancelled request counts for nothing",
      item("candidate", { status: "cancelled" }),
      { requests: 0, assignedUnits: 0 },
    ],
    ["slower than the threshold", item("candidate", { latencyMs: 151 }), { slowRequests: 1 }],
    ["exactly at the threshold is not slow", item("candidate", { latencyMs: 150 }), { slowRequests: 0 }],
  ])("%s", (_name, entry, expected) => {
    expect(countsOf([entry]).arms.candidate).toMatchObject(expected);
  });

  it("counts units, not requests, and a request without a session as its own unit", () => {
    const { arms } = countsOf([
      item("control", { session: "a" }),
      item("control", { session: "a" }),
      item("control", { session: "b" }),
      item("control", { session: null }),
      item("control", { session: null }),
    ]);
    expect(arms.control).toMatchObject({ assignedUnits: 4, requests: 5 });
  });

  it("ignores interactions outside the experiment", () => {
    const { arms } = countsOf([item(null), item("control")]);
    expect(arms.control.requests + arms.candidate.requests).toBe(1);
  });

  it("counts an exit recorded on a follow-up (the reply to a classification) once, whatever the order", () => {
    const classified = item("candidate");
    const accumulator = createArmStatisticsAccumulator({ labelsByVersion: labels, latencyThresholdMs: null });
    accumulator.addExit(classified.interaction.id);
    accumulator.add(classified);
    accumulator.addExit(classified.interaction.id);
    accumulator.addExit("unknown-interaction");
    expect(accumulator.result().arms.candidate).toMatchObject({ exposures: 1, exits: 1 });
  });

  it("judges a generator's feedback by ratings and edits", () => {
    const { arms } = countsOf([
      item("candidate", { version: "chat@v1", label: null, feedback: [["rating", { score: 2 }]] }),
      item("candidate", {
        version: "chat@v1",
        label: null,
        feedback: [
          ["rating", { score: 1 }],
          ["rating", { score: 5 }],
        ],
      }),
      item("candidate", { version: "chat@v1", label: null, feedback: [["reply_edit", { text: "better" }]] }),
    ]);
    expect(arms.candidate).toMatchObject({ feedbackEvents: 3, negativeFeedback: 2, labelled: 0 });
  });

  it("without a threshold from before the stage, uses control's p95 within it", () => {
    const controlLatencies = Array.from({ length: 100 }, (_, i) => i + 1);
    const result = countsOf(
      [
        ...controlLatencies.map((ms) => item("control", { latencyMs: ms })),
        ...[50, 96, 120].map((ms) => item("candidate", { latencyMs: ms })),
      ],
      null,
    );
    expect(result).toMatchObject({ latencyThresholdMs: 95, latencyThresholdSource: "control_in_stage" });
    expect(result.arms.control.slowRequests).toBe(5);
    expect(result.arms.candidate.slowRequests).toBe(2);
  });
});

it.each([
  [[], 0.95, null],
  [[7], 0.95, 7],
  [[3, 1, 2], 0.5, 2],
  [Array.from({ length: 20 }, (_, i) => 20 - i), 0.95, 19],
])("percentile(%j, %d) = %s (nearest rank)", (values, p, expected) => {
  expect(percentile(values, p)).toBe(expected);
});

describe("one session's share of an arm (FEEDBACK_MAX_SESSION_SHARE)", () => {
  // 100 people find the candidate right; one session corrects 1,000 candidate answers to make it look broken.
  const traffic = () => [
    ...Array.from({ length: 100 }, () =>
      item("candidate", { feedback: [["label_confirm", { correct: true }]] }),
    ),
    ...Array.from({ length: 1000 }, () =>
      item("candidate", {
        session: "attacker",
        feedback: [["label_correct", { label: "负面" }], ["exit"]],
      }),
    ),
  ];
  const candidateOf = (maxSessionShare: number) => {
    const accumulator = createArmStatisticsAccumulator({
      labelsByVersion: labels,
      latencyThresholdMs: null,
      maxSessionShare,
    });
    for (const entry of traffic()) accumulator.add(entry);
    return accumulator.result().arms.candidate;
  };

  it("without a cap, one session makes the arm's error rate what it wants", () => {
    const arm = candidateOf(1);
    expect(arm).toMatchObject({ labelled: 1100, errors: 1000, negativeFeedback: 1000, exits: 1000 });
  });

  it("with a 10% cap, the session's 1,000 corrections count as 11: the arm's error rate stays near the truth", () => {
    const arm = candidateOf(0.1);
    expect(arm).toMatchObject({ labelled: 111, errors: 11, feedbackEvents: 111, negativeFeedback: 11 });
    // Its exits count for their share too: the only exits in the arm, so just the first.
    expect(arm.exits).toBe(1);
    expect(arm.errors / arm.labelled).toBeLessThanOrEqual(0.1);
    // Exposure still counts every request: the cap is on what the session says, not on what it was served.
    expect(arm.requests).toBe(1100);
  });
});
