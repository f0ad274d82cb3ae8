import { describe, expect, it } from "vitest";
import { createSeededRandom, type RandomSource } from "../../../statistics/seeded-random.js";
import { fitQualityWeights, type RatedTurn } from "./fit-quality-weights.js";
import { priorQualityWeights } from "./quality-score.js";
import type { TurnSignals } from "./turn-signals.js";

/**
 * Simulated users: a turn is good with probability 0.6; a good turn is copied 60% of the time and rephrased 5%,
 * a bad one copied 5% and rephrased 60%; exits and dwell carry nothing. Ratings follow goodness (4–5 or 1–2).
 */
function simulate(random: RandomSource, count: number, sessionOf: (i: number) => string): RatedTurn[] {
  return Array.from({ length: count }, (_, i) => {
    const good = random() < 0.6;
    const chance = (p: number) => random() < p;
    const signals: TurnSignals = {
      rating: good ? (chance(0.5) ? 5 : 4) : chance(0.5) ? 1 : 2,
      thumb: null,
      editDistance: null,
      copied: chance(good ? 0.6 : 0.05),
      dwellMs: Math.round(1000 + random() * 9000),
      replyChars: 40,
      exited: chance(0.2),
      followUp: chance(good ? 0.05 : 0.6) ? "rephrase" : chance(0.3) ? "new_topic" : null,
    };
    return { signals, sessionHash: sessionOf(i), createdAt: i };
  });
}

describe("fitQualityWeights", () => {
  it("keeps the prior weights with too few rated turns", () => {
    const fit = fitQualityWeights(simulate(createSeededRandom(1), 40, (i) => `s${i}`));
    expect(fit.source).toBe("prior");
    expect(fit.weights).toEqual(priorQualityWeights);
    expect(fit.ratedTurns).toBe(40);
  });

  it("learns which signals predict the ratings and measures it on the newest held-out turns", () => {
    const fit = fitQualityWeights(simulate(createSeededRandom(2), 2000, (i) => `s${i % 400}`));
    expect(fit.source).toBe("fitted");
    expect(fit.fittedOn).toBe(2000);
    expect(fit.evaluation.heldOutTurns).toBe(400);
    // The informative signals keep their sign; the uninformative ones (exit, dwell) shrink towards zero; a signal
    // never seen (edit) keeps its prior weight.
    expect(fit.weights.features.copy).toBeGreaterThan(1);
    expect(fit.weights.features.rephrase).toBeLessThan(-1);
    expect(Math.abs(fit.weights.features.exit)).toBeLessThan(0.3);
    expect(Math.abs(fit.weights.features.dwell)).toBeLessThan(0.3);
    expect(fit.weights.features.edit).toBe(priorQualityWeights.features.edit);
    expect(fit.evaluation.auc!).toBeGreaterThan(0.85);
    expect(fit.evaluation.auc!).toBeGreaterThanOrEqual(fit.evaluation.priorAuc! - 0.02);
    expect(fit.evaluation.spearman!).toBeGreaterThan(0.5);
  });

  it("caps one session's weight so a flood cannot turn a signal around", () => {
    const random = createSeededRandom(3);
    const honest = simulate(random, 600, (i) => `s${i % 200}`);
    // One session copies every reply and rates it 1, thousands of times.
    const flood: RatedTurn[] = Array.from({ length: 5000 }, (_, i) => ({
      signals: { ...honest[0]!.signals, rating: 1, copied: true, followUp: null, exited: false },
      sessionHash: "flood",
      createdAt: 600 + i,
    }));
    const capped = fitQualityWeights([...honest, ...flood]);
    const uncapped = fitQualityWeights([...honest, ...flood], { sessionWeightCap: Number.POSITIVE_INFINITY });
    expect(capped.weights.features.copy).toBeGreaterThan(1);
    expect(uncapped.weights.features.copy).toBeLessThan(0);
  });

  it("leaves out rated turns with no other signal", () => {
    const onlyRated = simulate(createSeededRandom(4), 100, (i) => `s${i}`).map((turn) => ({
      ...turn,
      signals: { ...turn.signals, copied: false, dwellMs: null, exited: false, followUp: null },
    }));
    expect(fitQualityWeights(onlyRated).ratedTurns).toBe(0);
  });
});
