import type { LabelMoveReasonCode } from "../../../src/rollout/core/plan-label-moves.js";
import type { Locale } from "./messages.js";

/** Every label-move reason code (src/rollout/core/plan-label-moves.ts), for translations and their test. */
export const labelMoveReasonCodes = [
  "canary_started",
  "canary_ended",
  "promoted",
  "replaced_by_promotion",
  "rolled_back",
  "restored_after_rollback",
  "grace_period_over",
  "superseded",
  "reinstated",
] as const satisfies readonly LabelMoveReasonCode[];

// A new code in the union without an entry here fails to compile.
const listsEveryCode: Exclude<LabelMoveReasonCode, (typeof labelMoveReasonCodes)[number]> extends never
  ? true
  : false = true;
void listsEveryCode;

export const zhLabelMoveReasons: Record<LabelMoveReasonCode, string> = {
  canary_started: "开始灰度",
  canary_ended: "灰度结束",
  promoted: "全量发布",
  replaced_by_promotion: "被新发布的版本替换，进入待下线",
  rolled_back: "回滚",
  restored_after_rollback: "回滚后恢复为生效版本",
  grace_period_over: "待下线期满，正式下线",
  superseded: "被更新的版本取代",
  reinstated: "重新启用（不再是已下线状态）",
};

/**
 * A label move's recorded reason, `<sentence> [<code>] <context>` (labelMoveReason in src/rollout/store), in the
 * reader's language: in Chinese, the code's sentence, then the context — an operator's own words as they typed
 * them, an experiment's number — without the server's English. English readers get the record as it is.
 */
export function labelMoveReasonIn(locale: Locale, reason: string): string {
  if (locale !== "zh") return reason;
  const match = /^.*? \[([a-z_]+)\] ?(.*)$/s.exec(reason);
  const code = match?.[1] as LabelMoveReasonCode | undefined;
  const summary = code === undefined ? undefined : zhLabelMoveReasons[code];
  if (summary === undefined) return reason;
  const context = match?.[2] ?? "";
  const experiment = /^\(experiment (\d+):/.exec(context);
  const byHand =
    /^\((promoted by hand without evidence|promoted by hand|rolled back by hand|retired by hand): (.*)\)$/s.exec(
      context,
    );
  const how: Record<string, string> = {
    "promoted by hand without evidence": "管理员在证据不足时手动发布",
    "promoted by hand": "管理员手动发布",
    "rolled back by hand": "管理员手动回滚",
    "retired by hand": "管理员手动下线",
  };
  if (experiment) return `${summary}（实验 ${experiment[1]} 的自动决策）`;
  if (byHand) return `${summary}（${how[byHand[1]!]}：${byHand[2]}）`;
  return context === "" ? summary : `${summary}（${context}）`;
}
