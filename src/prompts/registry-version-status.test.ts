import type { PromptLabelName } from "./prompt-label.js";
import { describe, expect, it } from "vitest";
import type { PromptLabel, RecordedLabelMove } from "./store/prompt-store.js";
import { deriveVersionStatuses, statusOfVersion } from "./registry-version-status.js";

let nextId = 1;
const move = (
  label: PromptLabelName,
  from: string | null,
  to: string | null,
  createdAt: number,
): RecordedLabelMove => ({
  id: nextId++,
  task: "sentiment",
  label,
  fromVersionId: from,
  toVersionId: to,
  actor: "test",
  reason: "test",
  reasonCode: null,
  reasonParams: null,
  createdAt,
});
const pointer = (label: PromptLabelName, versionId: string): PromptLabel => ({
  task: "sentiment",
  label,
  versionId,
  updatedAt: 0,
});

describe("deriveVersionStatuses", () => {
  // v1 active, then replaced by v2 (v1 pending), then v3 canaried and rolled back, then v1 retired: the
  // `retired` pointer ends on v1, yet v3 must stay retired too.
  const moves = [
    move("active", null, "v1", 1),
    move("canary", null, "v2", 2),
    move("pending_retirement", null, "v1", 3),
    move("active", "v1", "v2", 3),
    move("canary", "v2", null, 3),
    move("canary", null, "v3", 4),
    move("retired", null, "v3", 5),
    move("canary", "v3", null, 5),
    move("retired", "v3", "v1", 6),
    move("pending_retirement", "v1", null, 6),
    move("canary", null, "v4", 7),
  ];
  const labels = [pointer("active", "v2"), pointer("retired", "v1"), pointer("canary", "v4")];
  const statuses = deriveVersionStatuses(labels, moves);

  it.each([
    ["v1", { status: "retired", labels: [], retiredAt: 6 }],
    ["v2", { status: "active", labels: ["active"], retiredAt: null }],
    ["v3", { status: "retired", labels: [], retiredAt: 5 }],
    ["v4", { status: "canary", labels: ["canary"], retiredAt: null }],
    ["v5", { status: "draft", labels: [], retiredAt: null }],
  ])("%s is %o", (versionId, expected) => {
    expect(statusOfVersion(statuses, versionId)).toEqual(expected);
  });

  it("lets a pointer label win over an earlier retirement (a retired version promoted again)", () => {
    const again = deriveVersionStatuses([pointer("active", "v3")], [...moves, move("active", "v2", "v3", 8)]);
    expect(statusOfVersion(again, "v3").status).toBe("active");
  });
});
