import type { LabelMoveReasonParams } from "../../../src/prompts/store/prompt-store.js";
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

/** Codes of label moves made outside plan-label-moves (src/rollout/service/plan-retirement.ts). */
const zhOtherReasons: Record<string, string> = { retired_by_operator: "下线" };

/** A label move as GET /api/admin/prompts/:id lists it: the sentence, and the code with its facts when recorded. */
export interface RecordedMoveReason {
  actor: string;
  reason: string;
  /** Absent or null on moves recorded before codes were stored (migration 012). */
  reasonCode?: string | null;
  reasonParams?: LabelMoveReasonParams | null;
}

const evidenceNote = "，证据不足时手动发布";
const byHandWords = {
  started: "管理员手动开始",
  promoted: "管理员手动发布",
  rolled_back: "管理员手动回滚",
  retired: "管理员手动下线",
};

/**
 * A label move's reason in the reader's language. In Chinese: the code's sentence, then its facts — an
 * experiment's number, who moved it by hand and their own words as they typed them — without the server's
 * English. English readers get the recorded sentence as it is. Moves recorded before codes were stored are read
 * from their sentence (`<sentence> [<code>] <context>`, labelMoveReason in src/rollout/store).
 */
export function labelMoveReasonIn(locale: Locale, move: RecordedMoveReason): string {
  if (locale !== "zh") return move.reason;
  if (!move.reasonCode) return recordedSentenceInChinese(move.reason);
  const summary =
    zhLabelMoveReasons[move.reasonCode as LabelMoveReasonCode] ?? zhOtherReasons[move.reasonCode];
  if (summary === undefined) return move.reason;
  const { experimentId, byHand, note, withoutEvidence } = move.reasonParams ?? {};
  const evidence = withoutEvidence ? evidenceNote : "";
  if (experimentId !== undefined) {
    return byHand !== undefined
      ? `${summary}（实验 ${experimentId}，${move.actor}${evidence}：${note ?? ""}）`
      : `${summary}（实验 ${experimentId} 的自动决策${evidence}）`;
  }
  if (byHand !== undefined) return `${summary}（${byHandWords[byHand]}${evidence}：${note ?? ""}）`;
  return `${summary}${evidence}`;
}

/** A move recorded before reason codes were stored: its code and context are read from its sentence. */
function recordedSentenceInChinese(reason: string): string {
  const match = /^(.*?) \[([a-z_]+)\] ?(.*)$/s.exec(reason);
  const code = match?.[2] as LabelMoveReasonCode | undefined;
  const summary = code === undefined ? undefined : zhLabelMoveReasons[code];
  if (match === null || summary === undefined) return reason;
  const withoutEvidence = /without evidence/.test(match[1] ?? "") ? "，证据不足时手动发布" : "";
  const context = match[3] ?? "";
  const experiment = /^\(experiment ([^:]+): (.*)\)$/s.exec(context);
  if (experiment) {
    const operator = / by (\S+?): (.*)$/s.exec(experiment[2] ?? "");
    return operator
      ? `${summary}（实验 ${experiment[1]}，${operator[1]}${withoutEvidence}：${operator[2]}）`
      : `${summary}（实验 ${experiment[1]} 的自动决策${withoutEvidence}）`;
  }
  const byHand = /^\((promoted|rolled back|retired) by hand( without evidence)?: (.*)\)$/s.exec(context);
  if (byHand) {
    const how = { promoted: "管理员手动发布", "rolled back": "管理员手动回滚", retired: "管理员手动下线" };
    const evidence = byHand[2] || withoutEvidence ? "，证据不足时手动发布" : "";
    return `${summary}（${how[byHand[1] as keyof typeof how]}${evidence}：${byHand[3]}）`;
  }
  return context === "" ? `${summary}${withoutEvidence}` : `${summary}（${context}）`;
}
