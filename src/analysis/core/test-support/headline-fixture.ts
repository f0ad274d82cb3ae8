import type { InteractionWithFeedback } from "../analysis-input.js";
import { createSeededRandom } from "../../../statistics/seeded-random.js";
import { buildInteraction, correction, thumbsUp } from "./interaction-builder.js";

/** The write-up's headline sentence (§3). */
export const headlineSentence = "这个结果真是令人失望，不过还能接受";

const openings = [
  "这个结果真是令人失望",
  "结果有点失望",
  "服务很差",
  "送得太慢",
  "价格有点贵",
  "房间有点旧",
  "菜有点凉",
];
const turns = ["，不过", "，但是", "，但", "，可是"];
const acceptances = ["还能接受", "也还行", "勉强可以接受", "还凑合", "还算能接受"];
const positives = [
  "房间很干净",
  "服务很热情",
  "早餐很丰富",
  "位置很方便",
  "菜很新鲜",
  "送餐准时",
  "性价比很高",
];
const negatives = [
  "隔音太差",
  "饭菜都凉了",
  "卫生间有异味",
  "米饭夹生",
  "空调坏了",
  "送错了地址",
  "汤洒了一半",
];
const plainTurns = ["本来想再点一份，不过卖完了", "原计划住两晚，但是临时改了行程", "想打电话，可是没有信号"];

export interface HeadlineFixtureOptions {
  /** The label users correct the headline and its variants to. Default 负面, as the write-up's users do. */
  correctedTo?: "正面" | "负面";
  /** Variants of the headline (one polarity, a turn, then acceptance) the model gets wrong. Default 40. */
  variants?: number;
  /** Of those, how many users correct the other way instead. Default 4. */
  dissent?: number;
  seed?: number;
}

/**
 * Reviews in which the write-up's headline and its variants (「…令人失望，不过还能接受」) are misclassified and
 * corrected to `correctedTo`, a few users disagreeing, among correctly classified plain reviews and plain turns.
 */
export function headlineFixture(options: HeadlineFixtureOptions = {}): InteractionWithFeedback[] {
  const random = createSeededRandom(options.seed ?? 7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const gold = options.correctedTo ?? "负面";
  const other = gold === "负面" ? "正面" : "负面";
  const items: InteractionWithFeedback[] = [];
  const push = (input: string, predicted: string, label: string) =>
    items.push(
      buildInteraction({
        input,
        predictedLabel: predicted,
        createdAt: Date.UTC(2026, 0, 22) + items.length * 60_000,
        events: [predicted === label ? thumbsUp : correction(label)],
      }),
    );
  const variants = options.variants ?? 40;
  const dissent = options.dissent ?? 4;
  for (let i = 0; i < variants; i += 1) {
    const text = i === 0 ? headlineSentence : `${pick(openings)}${pick(turns)}${pick(acceptances)}`;
    if (i < variants - dissent) push(text, other, gold);
    else push(text, gold, other);
    for (let j = 0; j < 4; j += 1) {
      push(`${pick(positives)}，${pick(positives)}`, "正面", "正面");
      push(`${pick(negatives)}，${pick(negatives)}`, "负面", "负面");
    }
    if (i % 2 === 0) push(pick(plainTurns), "负面", "负面");
  }
  return items;
}
