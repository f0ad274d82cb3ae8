import type { LlamaContextSequence, Token } from "node-llama-cpp";
import { chooseLabel, type LabelChoice, type LabelScoringPlan } from "./label-scoring-plan.js";
import { decodeTokens, type OutputRow } from "./llama-internals.js";
import type { SequenceSamplers } from "./sequence-samplers.js";

/** Relative probabilities of `tokens` at one output row, or undefined if any fell out of the comparison. */
async function compare(
  row: OutputRow,
  samplers: SequenceSamplers,
  tokens: readonly Token[],
): Promise<Map<Token, number> | undefined> {
  const { probabilities } = await row.sampleCandidates(samplers.comparing(tokens));
  return tokens.every((token) => probabilities.has(token)) ? probabilities : undefined;
}

/**
 * P(token) over the whole vocabulary without a full probability map: the greedy sampler's confidence gives the
 * best token's absolute probability, and a comparison of the target with the best token scales it.
 */
async function absoluteProbability(
  row: OutputRow,
  samplers: SequenceSamplers,
  target: Token,
): Promise<number> {
  const best = await row.sampleConfidence(samplers.greedy());
  if (best.token === target) return best.confidence;
  const relative = await compare(row, samplers, [target, best.token]);
  if (!relative) return 0;
  return (best.confidence * relative.get(target)!) / relative.get(best.token)!;
}

async function firstTokenProbabilities(
  row: OutputRow,
  samplers: SequenceSamplers,
  firstTokens: readonly Token[],
): Promise<Map<Token, number>> {
  const relative = await compare(row, samplers, firstTokens);
  if (relative) return relative;
  // Some label is hundreds of nats below the model's favourite: fall back to absolute probabilities.
  const absolute = new Map<Token, number>();
  for (const token of firstTokens) absolute.set(token, await absoluteProbability(row, samplers, token));
  return absolute;
}

/**
 * Scores every label against the prompt in the sequence. `pending` (the prompt's tokens not yet evaluated) is
 * decoded in one forward pass, whose last row gives the first-token distribution. Labels longer than one token
 * are teacher-forced after the prompt: the first one in that same batch, each further one in one small batch
 * after erasing the previous one. The sequence ends holding the prompt, possibly followed by label tokens.
 */
export async function scoreLabels(
  samplers: SequenceSamplers,
  sequence: LlamaContextSequence,
  pending: Token[],
  plan: LabelScoringPlan,
): Promise<LabelChoice> {
  const promptEnd = sequence.nextTokenIndex + pending.length;
  const lastPromptIndex = pending.length - 1;
  const longLabels = plan.labelTokens
    .map((tokens, label) => ({ tokens, label }))
    .filter(({ tokens }) => tokens.length > 1);
  const rest: number[][] = plan.labelTokens.map(() => []);
  const [firstLong, ...otherLong] = longLabels;
  // Label token k + 1 is predicted by the row of label token k.
  const forced = firstLong?.tokens.slice(0, -1) ?? [];
  const rows = await decodeTokens<Map<Token, number> | number>(
    sequence,
    [...pending, ...forced],
    [lastPromptIndex, ...forced.map((_, k) => pending.length + k)],
    (row, index) =>
      index === lastPromptIndex
        ? firstTokenProbabilities(row, samplers, plan.firstTokens)
        : absoluteProbability(row, samplers, firstLong!.tokens[index - pending.length + 1]!),
  );
  const first = rows.get(lastPromptIndex) as Map<Token, number>;
  if (firstLong) rest[firstLong.label] = forced.map((_, k) => rows.get(pending.length + k) as number);
  for (const { tokens, label } of otherLong) {
    await sequence.eraseContextTokenRanges([{ start: promptEnd, end: sequence.nextTokenIndex }]);
    const labelForced = tokens.slice(0, -1);
    const labelRows = await decodeTokens(
      sequence,
      labelForced,
      labelForced.map((_, k) => k),
      (row, k) => absoluteProbability(row, samplers, tokens[k + 1]!),
    );
    rest[label] = labelForced.map((_, k) => labelRows.get(k)!);
  }
  return chooseLabel(
    plan.labelTokens.map((tokens, label) => ({ first: first.get(tokens[0]!) ?? 0, rest: rest[label]! })),
  );
}
