import fs from "node:fs/promises";
import path from "node:path";
import { createSeededRandom } from "../../src/statistics/seeded-random.js";

/** The word the generated reviews' scripted model is blind to. */
export const generatedBlindSpot = "设施";

const praise = [
  "房间很干净",
  "服务很热情",
  "早餐很丰富",
  "位置很方便",
  "床很舒服",
  "性价比很高",
  "前台办理很快",
];
const complaints = ["隔音太差", "前台态度恶劣", "等了一个多小时", "卫生间有异味", "空调坏了", "早餐很难吃"];
const blindPraise = ["设施很新", "设施齐全", "设施不错"];
const blindComplaints = ["设施陈旧", "设施老化", "设施太旧"];
const endings = ["", "。", "！", "，下次还来", "，不推荐"];

/**
 * A small labelled CSV of hotel-review-like texts (columns `review`, `stars`: 1 = 正面, 0 = 负面), a quarter of
 * them mentioning the blind-spot word in either direction. Seeded: the same file every time. For tests only.
 */
export function generatedReviewCsv(rows: number, seed = 11): string {
  const random = createSeededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const lines = ["review,stars"];
  for (let i = 0; i < rows; i++) {
    const positive = random() < 0.65;
    const clauses = positive ? praise : complaints;
    const blind = random() < 0.25;
    const first = blind ? pick(positive ? blindPraise : blindComplaints) : pick(clauses);
    lines.push(`"${first}，${pick(clauses)}，${pick(clauses)}${pick(endings)}",${positive ? 1 : 0}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Writes the CSV into `dir` and returns its path. */
export async function writeGeneratedReviewCsv(dir: string, rows: number): Promise<string> {
  const file = path.join(dir, "reviews.csv");
  await fs.writeFile(file, generatedReviewCsv(rows));
  return file;
}
