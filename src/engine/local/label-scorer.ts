import type { LlamaContextSequence, Token } from "node-llama-cpp";
import type { BranchForker, BranchLane } from "./label-branch-lanes.js";
import { rowKey, type LabelRow } from "./label-branch-plan.js";
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
 * P(token) over the whole vocabulary for every target at one row, without a full probability map: the greedy
 * sampler's confidence gives the best token's absolute probability (one pass over the vocabulary, shared by all
 * targets), and one comparison of the targets with the best token scales it.
 */
async function rowProbabilities(
  row: OutputRow,
  samplers: SequenceSamplers,
  targets: readonly Token[],
): Promise<Map<Token, number>> {
  const best = await row.sampleConfidence(samplers.greedy());
  const relative = await compare(row, samplers, [...new Set([...targets, best.token])]);
  const absolute = new Map<Token, number>();
  for (const target of targets) {
    if (target === best.token) absolute.set(target, best.confidence);
    else if (relative)
      absolute.set(target, (best.confidence * relative.get(target)!) / relative.get(best.token)!);
    else {
      // Some target is hundreds of nats below the best token: compare the others one by one.
      const pair = await compare(row, samplers, [target, best.token]);
      absolute.set(target, pair ? (best.confidence * pair.get(target)!) / pair.get(best.token)! : 0);
    }
  }
  return absolute;
}

async function firstTokenProbabilities(
  row: OutputRow,
  samplers: SequenceSamplers,
  firstTokens: readonly Token[],
): Promise<Map<Token, number>> {
  // Relative probabilities suffice here: every label's first token is read at this row, so the normaliser cancels.
  return (await compare(row, samplers, firstTokens)) ?? rowProbabilities(row, samplers, firstTokens);
}

async function eraseFrom(sequence: LlamaContextSequence, index: number): Promise<void> {
  if (index < sequence.nextTokenIndex) {
    await sequence.eraseContextTokenRanges([{ start: index, end: sequence.nextTokenIndex }]);
  }
}

/** Decodes one forced path in a lane that holds the prompt, and reads the targets at each of the path's rows. */
async function decodePath(
  lane: BranchLane,
  promptEnd: number,
  path: Token[],
  rows: LabelRow<Token>[],
  read: Map<string, Map<Token, number>>,
): Promise<void> {
  await eraseFrom(lane.sequence, promptEnd);
  const results = await decodeTokens(
    lane.sequence,
    path,
    rows.map((r) => r.index),
    (row, index) => rowProbabilities(row, lane.samplers, rows.find((r) => r.index === index)!.targets),
  );
  for (const r of rows) read.set(rowKey(path.slice(0, r.index + 1)), results.get(r.index)!);
}

/**
 * Scores every label against the prompt in the sequence. `pending` (the prompt's tokens not yet evaluated) is
 * decoded in one forward pass together with the first label path (the tokens of a multi-token label that predict
 * its later tokens); the prompt's last row gives the first-token distribution. The other paths are decoded in one
 * more pass, each in a lane forked from the prompt's state, so that they share one batch whatever the number of
 * labels (in waves when there are more paths than free lanes; one after another in this sequence when no lane is
 * free). The sequence ends holding the prompt, possibly followed by label tokens.
 */
export async function scoreLabels(
  samplers: SequenceSamplers,
  sequence: LlamaContextSequence,
  pending: Token[],
  plan: LabelScoringPlan,
  forker?: BranchForker,
): Promise<LabelChoice> {
  const { paths, rows } = plan.branches;
  const rowsOf = (path: number) => rows.filter((r) => r.path === path);
  const promptEnd = sequence.nextTokenIndex + pending.length;
  const lastPromptIndex = pending.length - 1;
  const firstPath = paths[0] ?? [];
  const firstRows = paths.length > 0 ? rowsOf(0) : [];
  const read = new Map<string, Map<Token, number>>();
  const decoded = await decodeTokens(
    sequence,
    [...pending, ...firstPath],
    [lastPromptIndex, ...firstRows.map((r) => pending.length + r.index)],
    (row, index) =>
      index === lastPromptIndex
        ? firstTokenProbabilities(row, samplers, plan.firstTokens)
        : rowProbabilities(row, samplers, firstRows.find((r) => pending.length + r.index === index)!.targets),
  );
  for (const r of firstRows) {
    read.set(rowKey(firstPath.slice(0, r.index + 1)), decoded.get(pending.length + r.index)!);
  }
  if (paths.length > 1) {
    await eraseFrom(sequence, promptEnd);
    const longest = Math.max(...paths.map((path) => path.length));
    const forked = forker ? await forker.fork(sequence, paths.length - 1, longest) : undefined;
    const lanes = forked && forked.lanes.length > 0 ? forked.lanes : [{ sequence, samplers }];
    try {
      await Promise.all(
        lanes.map(async (lane, l) => {
          for (let p = 1 + l; p < paths.length; p += lanes.length) {
            await decodePath(lane, promptEnd, paths[p]!, rowsOf(p), read);
          }
        }),
      );
    } finally {
      forked?.release();
    }
  }
  const first = decoded.get(lastPromptIndex)!;
  return chooseLabel(
    plan.labelTokens.map((tokens) => ({
      first: first.get(tokens[0]!) ?? 0,
      rest: tokens.slice(1).map((token, k) => read.get(rowKey(tokens.slice(0, k + 1)))?.get(token) ?? 0),
    })),
  );
}
