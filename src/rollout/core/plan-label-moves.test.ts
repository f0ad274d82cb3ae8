import { describe, expect, it } from "vitest";
import {
  labelEventForDecision,
  planLabelMoves,
  type LabelEvent,
  type LabelPointer,
} from "./plan-label-moves.js";

const hour = 3_600_000;
const now = 1_767_225_600_000;
const duringCanary: LabelPointer[] = [
  { label: "active", versionId: "sentiment@v1", updatedAt: now - 30 * 24 * hour },
  { label: "canary", versionId: "sentiment@v2", updatedAt: now - 80 * hour },
];
const afterPromotion: LabelPointer[] = [
  { label: "active", versionId: "sentiment@v2", updatedAt: now - 48 * hour },
  { label: "pending_retirement", versionId: "sentiment@v1", updatedAt: now - 48 * hour },
];

/** The moves as [label, from, to] triples, in order. */
function movesOf(labels: LabelPointer[], event: LabelEvent, at = now) {
  return planLabelMoves({ task: "sentiment", labels, event, now: at, gracePeriodHours: 168 }).map((move) => [
    move.label,
    move.fromVersionId,
    move.toVersionId,
    move.reasonCode,
  ]);
}

describe("planLabelMoves", () => {
  it.each([
    [
      "starting a canary labels the candidate",
      [duringCanary[0]!],
      { kind: "start_canary", candidateVersionId: "sentiment@v2" },
      [["canary", null, "sentiment@v2", "canary_started"]],
    ],
    [
      "promotion: candidate active, old active pending retirement, canary cleared",
      duringCanary,
      { kind: "promote", candidateVersionId: "sentiment@v2" },
      [
        ["pending_retirement", null, "sentiment@v1", "replaced_by_promotion"],
        ["active", "sentiment@v1", "sentiment@v2", "promoted"],
        ["canary", "sentiment@v2", null, "canary_ended"],
      ],
    ],
    [
      "a second promotion inside the grace period retires the older pending version early",
      afterPromotion,
      { kind: "promote", candidateVersionId: "sentiment@v3" },
      [
        ["retired", null, "sentiment@v1", "superseded"],
        ["pending_retirement", "sentiment@v1", "sentiment@v2", "replaced_by_promotion"],
        ["active", "sentiment@v2", "sentiment@v3", "promoted"],
      ],
    ],
    [
      "rollback during the canary retires the candidate and leaves control active",
      duringCanary,
      { kind: "rollback", candidateVersionId: "sentiment@v2" },
      [
        ["retired", null, "sentiment@v2", "rolled_back"],
        ["canary", "sentiment@v2", null, "canary_ended"],
      ],
    ],
    [
      "rollback after promotion restores the last stable version",
      afterPromotion,
      { kind: "rollback", candidateVersionId: "sentiment@v2" },
      [
        ["retired", null, "sentiment@v2", "rolled_back"],
        ["active", "sentiment@v2", "sentiment@v1", "restored_after_rollback"],
        ["pending_retirement", "sentiment@v1", null, "restored_after_rollback"],
      ],
    ],
    ["nothing to retire inside the grace period", afterPromotion, { kind: "retire_expired" }, []],
  ] as const)("%s", (_name, labels, event, expected) => {
    expect(movesOf([...labels], event as LabelEvent)).toEqual(expected);
  });

  it("retires the pending version once the 7-day grace period is over, not a millisecond before", () => {
    const pendingSince = afterPromotion[1]!.updatedAt;
    expect(movesOf(afterPromotion, { kind: "retire_expired" }, pendingSince + 168 * hour - 1)).toEqual([]);
    expect(movesOf(afterPromotion, { kind: "retire_expired" }, pendingSince + 168 * hour)).toEqual([
      ["retired", null, "sentiment@v1", "grace_period_over"],
      ["pending_retirement", "sentiment@v1", null, "grace_period_over"],
    ]);
  });

  it.each([
    [
      "a second canary",
      duringCanary,
      { kind: "start_canary", candidateVersionId: "sentiment@v3" },
      "already has canary",
    ],
    [
      "a canary without an active version",
      [],
      { kind: "start_canary", candidateVersionId: "sentiment@v2" },
      "no active",
    ],
    [
      "promoting the active version",
      duringCanary,
      { kind: "promote", candidateVersionId: "sentiment@v1" },
      "already active",
    ],
    [
      "rolling back an unrelated version",
      duringCanary,
      { kind: "rollback", candidateVersionId: "sentiment@v9" },
      "neither",
    ],
    [
      "rolling back with nothing to restore",
      [afterPromotion[0]!],
      { kind: "rollback", candidateVersionId: "sentiment@v2" },
      "No stable version",
    ],
  ] as const)("refuses %s", (_name, labels, event, message) => {
    const call = () => movesOf([...labels], event as LabelEvent);
    expect(call).toThrow(expect.objectContaining({ code: "ROLLOUT_CONFLICT" }));
    expect(call).toThrow(message);
  });

  it("never shows a version as active and retired: rollback, a new canary of it, then its promotion", () => {
    // v2 promoted, rolled back (retired pointer on v2, v1 active again), canaried again and promoted.
    let labels: LabelPointer[] = [...afterPromotion];
    const apply = (event: LabelEvent) => {
      const after = new Map(labels.map((p) => [p.label, p.versionId as string | null]));
      for (const move of planLabelMoves({ task: "sentiment", labels, event, now, gracePeriodHours: 168 })) {
        after.set(move.label, move.toVersionId);
      }
      labels = [...after].flatMap(([label, versionId]) =>
        versionId === null ? [] : [{ label, versionId, updatedAt: now }],
      );
    };
    const labelsOf = (versionId: string) =>
      labels
        .filter((p) => p.versionId === versionId)
        .map((p) => p.label)
        .sort();
    apply({ kind: "rollback", candidateVersionId: "sentiment@v2" });
    expect(labelsOf("sentiment@v2")).toEqual(["retired"]);
    apply({ kind: "start_canary", candidateVersionId: "sentiment@v2" });
    expect(labelsOf("sentiment@v2")).toEqual(["canary"]);
    apply({ kind: "promote", candidateVersionId: "sentiment@v2" });
    expect(labelsOf("sentiment@v2")).toEqual(["active"]);
    expect(labelsOf("sentiment@v1")).toEqual(["pending_retirement"]);
  });

  it("clears the retired pointer when a retired version is promoted directly", () => {
    const labels: LabelPointer[] = [
      duringCanary[0]!,
      { label: "retired", versionId: "sentiment@v3", updatedAt: 0 },
    ];
    expect(movesOf(labels, { kind: "promote", candidateVersionId: "sentiment@v3" })).toEqual([
      ["retired", "sentiment@v3", null, "reinstated"],
      ["pending_retirement", null, "sentiment@v1", "replaced_by_promotion"],
      ["active", "sentiment@v1", "sentiment@v3", "promoted"],
    ]);
  });

  it("promoting the version pending retirement swaps it back without retiring it", () => {
    expect(movesOf(afterPromotion, { kind: "promote", candidateVersionId: "sentiment@v1" })).toEqual([
      ["pending_retirement", "sentiment@v1", "sentiment@v2", "replaced_by_promotion"],
      ["active", "sentiment@v2", "sentiment@v1", "promoted"],
    ]);
  });

  it("never leaves the task without an active version", () => {
    const events: LabelEvent[] = [
      { kind: "promote", candidateVersionId: "sentiment@v2" },
      { kind: "rollback", candidateVersionId: "sentiment@v2" },
    ];
    for (const [labels, event] of [
      [duringCanary, events[0]!],
      [duringCanary, events[1]!],
      [afterPromotion, events[1]!],
    ] as const) {
      const after = new Map(labels.map((pointer) => [pointer.label, pointer.versionId as string | null]));
      for (const move of planLabelMoves({ task: "sentiment", labels, event, now, gracePeriodHours: 168 })) {
        after.set(move.label, move.toVersionId);
      }
      expect(after.get("active")).toMatch(/^sentiment@v\d+$/);
    }
  });
});

describe("labelEventForDecision", () => {
  it.each([
    ["promote", { kind: "promote", candidateVersionId: "v2" }],
    ["rollback", { kind: "rollback", candidateVersionId: "v2" }],
    ["continue", null],
    ["ramp", null],
    ["halt", null],
  ] as const)("%s → %j", (action, expected) => {
    expect(labelEventForDecision({ action }, "v2")).toEqual(expected);
  });
});
