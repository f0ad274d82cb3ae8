import type { InteractionWithFeedback } from "../analysis-input.js";
import { createSeededRandom } from "../../../statistics/seeded-random.js";
import { buildInteraction, correction, thumbsUp } from "./interaction-builder.js";

const positiveClauses = [
  "房间很干净",
  "服务很热情",
  "早餐很丰富",
  "位置很方便",
  "床很舒服",
  "送餐很快",
  "菜很新鲜",
  "分量很足",
  "包装很用心",
  "性价比很高",
];
const negativeClauses = [
  "隔音太差",
  "前台态度恶劣",
  "等了一个多小时",
  "饭菜都凉了",
  "卫生间有异味",
  "价格太贵",
  "米饭夹生",
  "空调坏了",
  "送错了地址",
  "汤洒了一半",
];
const subjects = ["房间", "味道", "服务", "环境", "菜品", "位置", "早餐", "价格"];
const endings = ["", "。", "！", "，下次再说", "，一般般"];

export interface PlantedFixtureOptions {
  seed?: number;
  /** Correctly classified positive and negative inputs, each. */
  correctPerLabel?: number;
  /** Inputs containing the keyword that the model calls 正面 but users correct to 负面. */
  plantedErrors?: number;
  /** Inputs containing the keyword that the model gets right (正面, confirmed). */
  plantedCorrect?: number;
  /** Errors without the keyword, in both directions. */
  noiseErrors?: number;
  keyword?: string;
  /** epoch ms of the first interaction; one interaction a minute. */
  start?: number;
}

/**
 * Synthetic reviews in which one keyword (default 还行) drives errors 正面 → 负面: the model predicts 正面 for
 * lukewarm reviews the users correct to 负面. Everything else is classified mostly right.
 */
export function plantedKeywordFixture(options: PlantedFixtureOptions = {}): InteractionWithFeedback[] {
  const random = createSeededRandom(options.seed ?? 1);
  const keyword = options.keyword ?? "还行";
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const start = options.start ?? Date.UTC(2025, 3, 1);
  const items: InteractionWithFeedback[] = [];
  const push = (input: string, predicted: string, gold: string) =>
    items.push(
      buildInteraction({
        input,
        predictedLabel: predicted,
        createdAt: start + items.length * 60_000,
        events: [predicted === gold ? thumbsUp : correction(gold)],
      }),
    );
  const correctPerLabel = options.correctPerLabel ?? 150;
  const plantedErrors = options.plantedErrors ?? 40;
  const plantedCorrect = options.plantedCorrect ?? 5;
  const noiseErrors = options.noiseErrors ?? 15;
  const total = correctPerLabel * 2 + plantedErrors + plantedCorrect + noiseErrors;
  // Interleave the kinds so that every time window sees all of them.
  const kinds: string[] = [];
  for (let i = 0; i < correctPerLabel; i += 1) kinds.push("pos", "neg");
  for (let i = 0; i < plantedErrors; i += 1) kinds.push("planted");
  for (let i = 0; i < plantedCorrect; i += 1) kinds.push("plantedOk");
  for (let i = 0; i < noiseErrors; i += 1) kinds.push(i % 2 === 0 ? "noiseNeg" : "noisePos");
  for (let i = kinds.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  for (const kind of kinds.slice(0, total)) {
    if (kind === "pos")
      push(`${pick(positiveClauses)}，${pick(positiveClauses)}${pick(endings)}`, "正面", "正面");
    else if (kind === "neg")
      push(`${pick(negativeClauses)}，${pick(negativeClauses)}${pick(endings)}`, "负面", "负面");
    else if (kind === "planted")
      push(`${pick(subjects)}${keyword}，${pick(negativeClauses)}${pick(endings)}`, "正面", "负面");
    else if (kind === "plantedOk")
      push(`${pick(subjects)}${keyword}，${pick(positiveClauses)}`, "正面", "正面");
    else if (kind === "noiseNeg") push(`${pick(negativeClauses)}，${pick(positiveClauses)}`, "正面", "负面");
    else push(`${pick(positiveClauses)}，${pick(negativeClauses)}`, "负面", "正面");
  }
  return items;
}
