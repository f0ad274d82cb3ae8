import type { GroundTruthSource } from "./resolve-ground-truth.js";

/** An interaction whose gold label is known, kept (sampled) for building and scoring candidates. */
export interface LabelledExample {
  interactionId: string;
  promptVersionId: string;
  text: string;
  /** What the version that served it predicted. */
  predicted: string | null;
  gold: string;
  /** predicted === gold */
  correct: boolean;
  source: GroundTruthSource;
  /** Reasons the user gave with a correction (e.g. "sarcasm"). */
  userReasons: readonly string[];
  createdAt: number;
}
