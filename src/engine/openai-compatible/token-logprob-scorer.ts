import { chooseLabel, type LabelChoice, type LabelScoringPlan } from "../local/label-scoring-plan.js";
import type { LlamaServerApi, LlamaServerCompletion } from "./llama-server-api.js";

/** A GBNF grammar that allows exactly these token sequences (llama.cpp's `<[id]>` token syntax). */
export function tokenSequenceGrammar(sequences: readonly (readonly number[])[]): string {
  return `root ::= ${sequences.map((tokens) => tokens.map((id) => `<[${id}]>`).join(" ")).join(" | ")}`;
}

// How many of the most likely tokens the first request lists; labels outside them are forced one by one.
const listedTokens = 10;

export interface ScoredLabels {
  choice: LabelChoice;
  /** The rendered prompt's tokens, and how many the server evaluated (summed over requests). */
  promptTokens: number;
  evaluatedTokens: number;
  requests: number;
}

const logOf = (logprob: number | null | undefined) => logprob ?? Number.NEGATIVE_INFINITY;

/**
 * The labels' first tokens in one request: relative probabilities (one shared normaliser) for all of them, or
 * undefined if some first token was not listed.
 */
function relativeFirstProbabilities(
  answer: LlamaServerCompletion,
  firstTokens: number[],
): Map<number, number> | undefined {
  const listed = answer.completion_probabilities[0]?.top_probs ?? [];
  const probabilities = new Map<number, number>();
  for (const { id, prob } of listed)
    if (firstTokens.includes(id) && prob !== undefined && prob > 0) probabilities.set(id, prob);
  return firstTokens.every((token) => probabilities.has(token)) ? probabilities : undefined;
}

/**
 * Scores every label exactly as the embedded engine does: P(label) ∝ P(first token | one of the labels' first
 * tokens) × Π P(next token | prompt, earlier label tokens), each read from the model's distribution (teacher
 * forcing), never sampled; labels whose first tokens coincide differ in their later tokens.
 *
 * - One request with the first tokens allowed by a token grammar and probabilities reported after sampling
 *   (temperature 1, nothing else in the chain): when the grammar filtered the pick, the listed candidates are
 *   exactly the allowed tokens renormalised over them; otherwise they are the whole vocabulary's top tokens, whose
 *   ratios are exact too. With single-token labels (sentiment) this one request is the whole classification.
 * - Each label longer than one token gets a request with the grammar forcing its tokens in order, greedy, with
 *   each token's log-probability over the whole vocabulary before sampling.
 * - If some first token was not listed (far below the model's favourites), every label is forced that way, so that
 *   all first-token probabilities share one normaliser.
 *
 * Requests go one after another so that each reuses the prompt the previous one left in its slot (`cache_prompt`).
 */
export async function scoreLabelsByTokenLogprobs(
  api: LlamaServerApi,
  prompt: string,
  plan: LabelScoringPlan<number>,
  signal: AbortSignal | undefined,
  onGarbage: (what: string) => Error,
): Promise<ScoredLabels> {
  let promptTokens = 0;
  let evaluatedTokens = 0;
  let requests = 0;
  const record = (answer: LlamaServerCompletion) => {
    requests++;
    promptTokens = answer.tokens_evaluated;
    evaluatedTokens += answer.timings?.prompt_n ?? answer.tokens_evaluated;
    return answer;
  };

  const firstRequest = record(
    await api.completion({
      prompt,
      n_predict: 1,
      grammar: tokenSequenceGrammar(plan.firstTokens.map((token) => [token])),
      n_probs: Math.max(listedTokens, plan.firstTokens.length),
      postSampling: true,
      signal,
    }),
  );
  const relative = relativeFirstProbabilities(firstRequest, plan.firstTokens);
  const first = new Map<number, number>(relative);
  const rest: number[][] = plan.labelTokens.map(() => []);
  for (const [label, tokens] of plan.labelTokens.entries()) {
    if (relative && tokens.length === 1) continue;
    // A terminated label ends with end-of-turn: the grammar forces the label, after which llama.cpp's grammar only
    // allows end-of-generation tokens, and a logit bias picks this one (its reported probability is unbiased).
    const forced = plan.terminated ? tokens.slice(0, -1) : tokens;
    const answer = record(
      await api.completion({
        prompt,
        n_predict: tokens.length,
        grammar: tokenSequenceGrammar([forced]),
        n_probs: 1,
        ...(plan.terminated && { logitBias: [[tokens.at(-1)!, 100]] }),
        signal,
      }),
    );
    const steps = answer.completion_probabilities;
    if (steps.length !== tokens.length || steps.some((step, k) => step.id !== tokens[k])) {
      throw onGarbage(
        `did not follow the grammar forcing label ${label}: ${steps.map((s) => s.id).join(",")}`,
      );
    }
    if (!relative) first.set(tokens[0]!, Math.exp(logOf(steps[0]!.logprob)));
    rest[label] = steps.slice(1).map((step) => Math.exp(logOf(step.logprob)));
  }

  const choice = chooseLabel(
    plan.labelTokens.map((tokens, label) => ({ first: first.get(tokens[0]!) ?? 0, rest: rest[label]! })),
  );
  return { choice, promptTokens, evaluatedTokens, requests };
}
