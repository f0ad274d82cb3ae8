import type { GuardrailName } from "../../../src/rollout/core/rollout-policy.js";

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const num = (value: unknown): number | null =>
  typeof value === "number" && Number.isFinite(value) ? value : null;
const at = (value: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((node, key) => (isRecord(node) ? node[key] : undefined), value);

/** The guardrails' names in Chinese (GuardrailName in src/rollout/core/rollout-policy.ts). */
export const guardrailNamesZh: Record<GuardrailName, string> & Record<string, string | undefined> = {
  errorRate: "错误率",
  exitRate: "退出率",
  negativeFeedbackRate: "负面反馈率",
  engineErrorRate: "模型错误率",
  slowRequestRate: "慢请求率",
  badTurnRate: "差评轮次率",
  labelShift: "标签分布偏移",
};

const hours = (value: number) => (value < 10 ? value.toFixed(1) : String(Math.round(value)));

/**
 * The figures behind a rollout decision, in Chinese, read from the decision's `statistics` (the parameters every
 * recorded decision carries): how long the stage has run against its minimum, each arm's samples, the primary
 * test's p-value. Null when the decision has no statistics (a start, an operator's action).
 */
export function decisionFiguresZh(statistics: unknown): string | null {
  const parts: string[] = [];
  const ran = num(at(statistics, "stage", "hoursInStage"));
  const minimum = num(at(statistics, "stage", "minimumDurationHours"));
  if (ran !== null && minimum !== null)
    parts.push(`本阶段已运行 ${hours(ran)} 小时（最短 ${hours(minimum)} 小时）`);
  const control = num(at(statistics, "primary", "trials", "control"));
  const candidate = num(at(statistics, "primary", "trials", "candidate"));
  if (control !== null && candidate !== null) parts.push(`样本：对照 ${control}，候选 ${candidate}`);
  const pValue = num(at(statistics, "primary", "pValue"));
  if (pValue !== null) parts.push(`主要指标检验 p = ${pValue < 0.001 ? "< 0.001" : pValue.toFixed(3)}`);
  const degraded = at(statistics, "guardrails");
  if (Array.isArray(degraded)) {
    const names = degraded
      .filter((g) => at(g, "status") === "degraded")
      .map((g) => String(at(g, "name")))
      .map((name) => guardrailNamesZh[name] ?? name);
    if (names.length > 0) parts.push(`变差的护栏指标：${names.join("、")}`);
  }
  return parts.length === 0 ? null : parts.join("；");
}
