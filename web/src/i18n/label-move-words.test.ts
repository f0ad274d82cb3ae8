import { describe, expect, it } from "vitest";
import { labelMoveReason } from "../../../src/rollout/store/rollout-store.js";
import { labelMoveReasonCodes, labelMoveReasonIn, zhLabelMoveReasons } from "./label-move-words.js";

const recorded = (reasonCode: string, context: string) =>
  labelMoveReason(
    {
      task: "sentiment",
      label: "active",
      fromVersionId: "a",
      toVersionId: "b",
      reasonCode,
      reason: "B is active.",
    },
    context,
  );

describe("label move words", () => {
  it.each(labelMoveReasonCodes)("%s has a Chinese sentence", (code) => {
    expect(zhLabelMoveReasons[code]).toMatch(/^[^A-Za-z]*[\u4e00-\u9fff][^A-Za-z]*$/);
  });

  it("reads the recorded reason as the store writes it, in Chinese without the server's English", () => {
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
