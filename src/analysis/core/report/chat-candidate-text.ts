/**
 * The chat-candidate parts of the report as plain text (the Markdown and HTML renderers escape and lay them out):
 * the reply-property table, the edit exemplars and the generator gate's figures.
 */
import type { GeneratorGateResult } from "../generator/generator-gate.js";
import type { ReplyEvidence } from "../generator/reply-evidence.js";
import { fixed, percent } from "./format-values.js";

type Replies = Omit<ReplyEvidence, "replayItems">;

export const replyPropertyHeader = [
  "reply property",
  "low-quality turns",
  "low rate",
  "high rate",
  "lift",
  "z",
  "finding",
];

export function replyPropertySummary(replies: Replies): string {
  const { properties: mining, exemplars, lengthTarget } = replies;
  return (
    `Reply properties of the current version's turns before ${replies.holdoutCutoff === null ? "–" : new Date(replies.holdoutCutoff).toISOString()} ` +
    `(${mining.lowTurns} low-quality vs ${mining.highTurns} high-quality, score ≥ 0.6; length target ${Math.round(lengthTarget.chars)} characters from ${lengthTarget.source}); ` +
    `a finding needs ≥ ${mining.thresholds.minSupport} turns, lift ≥ ${mining.thresholds.minLift} and z ≥ ${mining.thresholds.minZ}. ` +
    `Edits: ${exemplars.edits}, exemplars kept: ${exemplars.exemplars.length}; ${replies.heldOutTurns} later turns held out for the gate.`
  );
}

export function replyPropertyRows(replies: Replies): string[][] {
  return replies.properties.properties.map((stat) => [
    stat.property,
    String(stat.support),
    percent(stat.lowRate),
    percent(stat.highRate),
    fixed(stat.lift),
    fixed(stat.z),
    stat.finding ? "yes" : "no",
  ]);
}

/** The gate's figures, one line each. */
export function generatorGateLines(gate: GeneratorGateResult): string[] {
  const { heldOut, lowQuality, editSimilarity, targeted } = gate;
  const changed = gate.checks
    .filter((check) => check.current !== check.candidate)
    .map((check) => `${check.property} ${check.current} → ${check.candidate}`);
  return [
    `held-out replies: ${heldOut.current.items}; with any problem ${heldOut.current.withProblems} → ${heldOut.candidate.withProblems}; ` +
      `median length ${heldOut.current.medianChars ?? "–"} → ${heldOut.candidate.medianChars ?? "–"} characters (target ${Math.round(gate.lengthTarget.chars)}); ` +
      `engine failures ${heldOut.current.failures} → ${heldOut.candidate.failures}`,
    `property counts that changed: ${changed.length === 0 ? "none" : changed.join(", ")} (allowed rise ${gate.checks[0]?.allowed ?? 0})`,
    `low-quality slice: ${lowQuality.current.items} replies; targeted properties (${targeted.properties.join(", ") || "none"}) ${targeted.current} → ${targeted.candidate}`,
    `closeness to users' edits (1 − normalised edit distance, ${editSimilarity.items} items): ${fixed(editSimilarity.current)} → ${fixed(editSimilarity.candidate)}`,
    `limits: ${gate.limits}`,
  ];
}
