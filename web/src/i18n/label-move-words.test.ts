import { describe, expect, it } from "vitest";
import { labelMoveReason } from "../../../src/rollout/store/rollout-store.js";
import { labelMoveReasonCodes, labelMoveReasonIn, zhLabelMoveReasons } from "./label-move-words.js";

/** A move recorded before codes were stored: only the sentence the store wrote. */
const recorded = (reasonCode: string, context: string, actor = "scheduler") => ({
  actor,
  reason: labelMoveReason(
    {
      task: "sentiment",
      label: "active",
      fromVersionId: "a",
      toVersionId: "b",
      reasonCode,
      reason: "B is active.",
    },
    context,
  ),
  reasonCode: null,
  reasonParams: null,
});

describe("label move words", () => {
  it.each(labelMoveReasonCodes)("%s has a Chinese sentence", (code) => {
    expect(zhLabelMoveReasons[code]).toMatch(/^[^A-Za-z]*[\u4e00-\u9fff][^A-Za-z]*$/);
  });

  it("tells a coded move from its code and facts, whatever its sentence says", () => {
    const coded = (reasonCode: string, reasonParams: object, actor = "scheduler") => ({
      actor,
      reason: "Some English the reader must not see.",
      reasonCode,
      reasonParams,
    });
    expect(labelMoveReasonIn("zh", coded("promoted", { experimentId: "3" }))).toBe(
      "全量发布（实验 3 的自动决策）",
    );
    expect(
      labelMoveReasonIn(
        "zh",
        coded(
          "promoted",
          { experimentId: "3", byHand: "promoted", note: "看过了", withoutEvidence: true },
          "console:alice",
        ),
      ),
    ).toBe("全量发布（实验 3，console:alice，证据不足时手动发布：看过了）");
    expect(labelMoveReasonIn("zh", coded("rolled_back", { byHand: "rolled_back", note: "回复变差" }))).toBe(
      "回滚（管理员手动回滚：回复变差）",
    );
    expect(labelMoveReasonIn("zh", coded("retired_by_operator", { byHand: "retired", note: "不用了" }))).toBe(
      "下线（管理员手动下线：不用了）",
    );
    expect(labelMoveReasonIn("zh", coded("grace_period_over", {}))).toBe("待下线期满，正式下线");
    expect(labelMoveReasonIn("en", coded("promoted", { experimentId: "3" }))).toBe(
      "Some English the reader must not see.",
    );
  });

  it("reads a move recorded before codes were stored from its sentence, in Chinese without the server's English", () => {
    expect(
      labelMoveReasonIn("zh", recorded("promoted", "(experiment 3: Promoting the candidate: p = 0.01.)")),
    ).toBe("全量发布（实验 3 的自动决策）");
    expect(labelMoveReasonIn("zh", recorded("rolled_back", "(rolled back by hand: 回复变差)"))).toBe(
      "回滚（管理员手动回滚：回复变差）",
    );
    expect(labelMoveReasonIn("zh", recorded("promoted", "(promoted by hand without evidence: 确认)"))).toBe(
      "全量发布（管理员手动发布，证据不足时手动发布：确认）",
    );
    expect(labelMoveReasonIn("zh", recorded("canary_started", ""))).toBe("开始灰度");
    expect(labelMoveReasonIn("en", recorded("promoted", "(cleanup)"))).toBe(
      "B is active. [promoted] (cleanup)",
    );
  });
});
