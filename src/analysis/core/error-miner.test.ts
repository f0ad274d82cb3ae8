import { describe, expect, it } from "vitest";
import type { MinedDocument } from "./error-miner.js";
import { createErrorMiner } from "./error-miner.js";
import { resolveGroundTruth } from "./resolve-ground-truth.js";
import { createWordSegmenter } from "./segment-text.js";
import { createSeededRandom } from "../../statistics/seeded-random.js";
import { plantedKeywordFixture } from "./test-support/planted-keyword-fixture.js";

const labels = ["正面", "负面"];
const segmentWords = createWordSegmenter();

function mine(documents: MinedDocument[], seed = 1) {
  const miner = createErrorMiner({ labels, random: createSeededRandom(seed), segmentWords });
  for (const document of documents) miner.add(document);
  return miner;
}

function documentsOf(items = plantedKeywordFixture()): MinedDocument[] {
  return items.map((item) => {
    const truth = resolveGroundTruth(item, labels);
    return {
      interactionId: item.interaction.id,
      text: item.interaction.input,
      predicted: item.interaction.predictedLabel,
      gold: truth.gold,
      correct: truth.correct === true,
      createdAt: item.interaction.createdAt,
    };
  });
}

describe("createErrorMiner", () => {
  it("finds the planted keyword first, with the direction 正面 → 负面 and examples that contain it", () => {
    const result = mine(documentsOf()).result({ minSupport: 10 });
    const top = result.patterns[0]!;
    expect(top.text).toBe("还行");
    expect(top.errorSupport).toBe(40);
    expect(top.correctSupport).toBe(5);
    expect(top.dominantDirection).toMatchObject({ predicted: "正面", gold: "负面", count: 40, share: 1 });
    expect(top.examples.length).toBe(5);
    for (const example of top.examples) expect(example.text).toContain("还行");
    expect(top.zScore).toBeGreaterThan(5);
  });

  it("folds near-identical terms into the top pattern instead of listing them again", () => {
    const { patterns } = mine(documentsOf()).result({ minSupport: 10 });
    const texts = patterns.map((pattern) => pattern.text);
    expect(texts.filter((text) => text.includes("还行") || text === "还" || text === "行")).toEqual(["还行"]);
    expect(patterns[0]!.aliases.length).toBeGreaterThan(0);
  });

  it("reports nothing when errors are spread evenly", () => {
    const items = plantedKeywordFixture({ plantedErrors: 0, plantedCorrect: 0, noiseErrors: 0 });
    // Flip every 5th correct answer into an error, whatever its text.
    const documents = documentsOf(items).map((document, index) =>
      index % 5 === 0
        ? { ...document, correct: false, gold: document.predicted === "正面" ? "负面" : "正面" }
        : document,
    );
    expect(mine(documents).result({ minSupport: 10, minZ: 3 }).patterns).toEqual([]);
  });

  it("applies the minimum support", () => {
    const result = mine(documentsOf()).result({ minSupport: 46 });
    expect(result.patterns.every((pattern) => pattern.support >= 46)).toBe(true);
    expect(result.patterns.some((pattern) => pattern.text === "还行")).toBe(false);
  });

  it("finds a structural pattern and reports its direction", () => {
    const documents: MinedDocument[] = [];
    for (let i = 0; i < 200; i += 1) {
      const contrast = i % 4 === 0;
      const text = contrast
        ? `房间挺大${i % 3 === 0 ? "，不过" : "，但是"}有点吵${i}`
        : `服务周到${i % 7}，早餐丰盛`;
      const correct = contrast ? i % 8 !== 0 && i % 3 !== 0 : i % 10 !== 1;
      documents.push({
        interactionId: `d${i}`,
        text,
        predicted: "正面",
        gold: correct ? "正面" : "负面",
        correct,
        createdAt: i,
      });
    }
    const contrast = mine(documents)
      .result({ minSupport: 10, minZ: 1 })
      .patterns.find((p) => p.id === "structure:contrast");
    expect(contrast?.dominantDirection).toMatchObject({ predicted: "正面", gold: "负面" });
    expect(contrast?.title).toContain("转折");
  });

  it("is deterministic for the same input and seed", () => {
    const documents = documentsOf();
    const first = mine(documents, 5).result({ minSupport: 10 });
    const second = mine(documents, 5).result({ minSupport: 10 });
    expect(second).toEqual(first);
  });

  it("segments only a sample of correct answers for words, and scales their counts back", () => {
    // "wifi" is a word only (n-grams are Han-only): 30 errors and 150 correct answers contain it.
    const documents: MinedDocument[] = Array.from({ length: 600 }, (_, i) => ({
      interactionId: `w${i}`,
      text: i % 3 === 0 ? `wifi ${i}` : `早餐不错${i % 11}`,
      predicted: "正面",
      gold: i % 3 === 0 && i % 15 === 0 ? "负面" : "正面",
      correct: !(i % 3 === 0 && i % 15 === 0),
      createdAt: i,
    }));
    const wifi = (wordSampleRate: number) => {
      const miner = createErrorMiner({ labels, random: createSeededRandom(2), segmentWords, wordSampleRate });
      for (const document of documents) miner.add(document);
      return miner
        .result({ minSupport: 10, minZ: -1000, topK: 1000 })
        .patterns.find((p) => p.id === "word:wifi")!;
    };
    expect(wifi(1)).toMatchObject({ errorSupport: 40, correctSupport: 160, correctSupportSampled: false });
    const estimate = wifi(0.5);
    expect(estimate.errorSupport).toBe(40);
    expect(estimate.correctSupportSampled).toBe(true);
    // 160 correct answers contain it; a 50% sample of 560 correct answers estimates that within a few dozen.
    expect(Math.abs(estimate.correctSupport - 160)).toBeLessThan(40);
  });

  it("stays within its term capacity and still finds frequent patterns", () => {
    const miner = createErrorMiner({
      labels,
      random: createSeededRandom(1),
      segmentWords,
      capacityPerKind: 200,
    });
    const documents = documentsOf();
    // Unique noise terms (each seen once) force pruning again and again.
    documents.forEach((document, index) =>
      miner.add({ ...document, text: `${document.text}${noiseWord(index)}` }),
    );
    const result = miner.result({ minSupport: 10 });
    expect(result.pruning.prunes).toBeGreaterThan(0);
    expect(result.pruning.ngramsTracked).toBeLessThanOrEqual(200);
    expect(result.patterns[0]!.text).toBe("还行");
  });
});

function noiseWord(index: number): string {
  const alphabet = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥";
  return `。${alphabet[index % 22]}${alphabet[Math.floor(index / 22) % 22]}${alphabet[Math.floor(index / 484) % 22]}`;
}

describe("pattern examples", () => {
  it("show the dominant direction first", () => {
    const documents: MinedDocument[] = [];
    for (let i = 0; i < 60; i++) {
      // "还行" is mostly a 正面 → 负面 error; 40% go the other way, interleaved with the majority.
      const minority = i % 5 < 2;
      documents.push({
        interactionId: `k${i}`,
        text: `房间还行${i}`,
        predicted: minority ? "负面" : "正面",
        gold: minority ? "正面" : "负面",
        correct: false,
        createdAt: i,
      });
      documents.push({
        interactionId: `c${i}`,
        text: `服务周到${i}`,
        predicted: "正面",
        gold: "正面",
        correct: true,
        createdAt: 100 + i,
      });
    }
    const pattern = mine(documents)
      .result({ minSupport: 10, minZ: 1 })
      .patterns.find((p) => p.text === "还行");
    expect(pattern?.dominantDirection).toMatchObject({ predicted: "正面", gold: "负面" });
    const directions = pattern!.examples.map((e) => `${e.predicted}→${e.gold}`);
    // Both directions are sampled, so the order is what this test checks.
    expect(new Set(directions)).toEqual(new Set(["正面→负面", "负面→正面"]));
    expect(directions[0]).toBe("正面→负面");
    expect(directions.indexOf("负面→正面")).toBeGreaterThan(directions.lastIndexOf("正面→负面"));
  });
});
