import fs from "node:fs/promises";
import { parseCsv } from "./csv-rows.js";
import { sampleReviews } from "./sample-reviews.js";

/** A review text and whether it is positive (dataset label 1 / 正面). */
export interface LabelledText {
  text: string;
  positive: boolean;
}

/** Reads a `text,label` CSV (label 1 = positive, 0 = negative), keeping rows with both fields. */
export async function readLabelledCsv(file: string): Promise<LabelledText[]> {
  const [header, ...rows] = parseCsv(await fs.readFile(file, "utf8"));
  const textColumn = header?.indexOf("text") ?? -1;
  const labelColumn = header?.indexOf("label") ?? -1;
  if (textColumn < 0 || labelColumn < 0)
    throw new Error(`${file}: expected a header with text and label columns`);
  return rows
    .filter((row) => row[textColumn]?.trim() && (row[labelColumn] === "0" || row[labelColumn] === "1"))
    .map((row) => ({ text: row[textColumn]!.trim(), positive: row[labelColumn] === "1" }));
}

/**
 * Pure: up to `count` texts whose token count lies in [minTokens, maxTokens], alternating positive and negative
 * while both remain, in source order (deterministic, so runs compare).
 */
export function pickTexts(
  texts: readonly LabelledText[],
  countTokens: (text: string) => number,
  { count, minTokens, maxTokens }: { count: number; minTokens: number; maxTokens: number },
): LabelledText[] {
  const fits = texts.filter((t) => {
    const n = countTokens(t.text);
    return n >= minTokens && n <= maxTokens;
  });
  const positives = fits.filter((t) => t.positive);
  const negatives = fits.filter((t) => !t.positive);
  const picked: LabelledText[] = [];
  while (picked.length < count && (positives.length > 0 || negatives.length > 0)) {
    const fromPositive = picked.length % 2 === 0 ? positives.length > 0 : negatives.length === 0;
    picked.push((fromPositive ? positives : negatives).shift()!);
  }
  return picked;
}

/** The dataset's texts when a path is given, else the built-in samples. */
export async function loadReviewTexts(
  dataset: string | undefined,
): Promise<{ source: string; texts: LabelledText[] }> {
  if (dataset) return { source: dataset, texts: await readLabelledCsv(dataset) };
  return { source: "built-in sample reviews", texts: [...sampleReviews] };
}
