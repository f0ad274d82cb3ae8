import { correctionMajority } from "../correction-majority.js";
import type { LabelledExample } from "../labelled-example.js";
import type { MinedPattern, PatternKind } from "../mined-pattern.js";

/** A mined pattern with plausible defaults; override what the test is about. */
export function buildPattern(
  overrides: Partial<MinedPattern> & { kind: PatternKind; text: string },
): MinedPattern {
  const errorSupport = overrides.errorSupport ?? 30;
  const directions = overrides.directions ?? [
    { predicted: "正面", gold: "负面", count: errorSupport, share: 1 },
  ];
  return {
    id: `${overrides.kind}:${overrides.text}`,
    title: overrides.kind === "structure" ? overrides.text : `“${overrides.text}”`,
    support: 40,
    errorSupport,
    correctSupport: 10,
    correctSupportSampled: false,
    errorRate: 0.75,
    lift: 5,
    logOdds: 3,
    zScore: 8,
    directions,
    dominantDirection: directions[0] ?? null,
    correctedTo: correctionMajority(directions),
    examples: [],
    aliases: [],
    maxUndercount: 0,
    ...overrides,
  };
}

let nextId = 1;

export function buildExample(
  text: string,
  gold: string,
  predicted: string,
  createdAt = nextId,
): LabelledExample {
  return {
    interactionId: `e${nextId++}`,
    promptVersionId: "sentiment@v1",
    text,
    predicted,
    gold,
    correct: predicted === gold,
    source: predicted === gold ? "thumbs_up" : "correction",
    userReasons: [],
    createdAt,
  };
}
