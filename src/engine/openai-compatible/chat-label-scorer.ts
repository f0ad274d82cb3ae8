import { AppError } from "../../errors.js";
import { chooseLabel } from "../local/label-scoring-plan.js";
import type { ChatTurn } from "../llm-backend.js";
import type { ChatCompletion, OpenAiChatApi } from "./openai-chat-api.js";
import type { ScoredLabels } from "./token-logprob-scorer.js";

/** OpenAI's structured-output format allowing only these strings (as a JSON string: `"正面"`). */
function enumFormat(labels: string[]) {
  return {
    type: "json_schema",
    json_schema: { name: "label", strict: true, schema: { type: "string", enum: labels } },
  };
}

export interface ChatScoringRequest {
  api: OpenAiChatApi;
  model: string;
  messages: ChatTurn[];
  labels: string[];
  signal: AbortSignal | undefined;
  onGarbage: (what: string) => Error;
}

function tokenCounts(answer: ChatCompletion) {
  const prompt = answer.usage?.prompt_tokens ?? 0;
  return { prompt, evaluated: prompt - (answer.usage?.prompt_tokens_details?.cached_tokens ?? 0) };
}

/** Reads the label out of a constrained answer (a JSON string), or out of plain text that starts with one. */
function matchLabel(content: string, labels: string[]): string | undefined {
  const text = content.trim();
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "string" && labels.includes(parsed)) return parsed;
  } catch {
    // Plain text: fall through.
  }
  return [...labels].sort((a, b) => b.length - a.length).find((label) => text.startsWith(label));
}

/**
 * One request per label, constrained to answer exactly that label, with the log-probability of every token the
 * server produced: P(label) is their sum's exponent, normalised over the labels. Returns undefined when the
 * server sends no log-probabilities (then only generation is possible).
 */
export async function scoreLabelsByTextLogprobs(
  request: ChatScoringRequest,
): Promise<ScoredLabels | undefined> {
  const scores: number[] = [];
  let counts = { prompt: 0, evaluated: 0 };
  for (const label of request.labels) {
    const answer = await request.api.complete(
      {
        model: request.model,
        messages: request.messages,
        max_tokens: 64,
        temperature: 0,
        logprobs: true,
        top_logprobs: 1,
        response_format: enumFormat([label]),
        cache_prompt: true,
      },
      true,
      request.signal,
    );
    const [choice] = answer.choices;
    const tokens = choice?.logprobs?.content;
    if (!tokens || tokens.length === 0) return undefined;
    if (matchLabel(choice.message.content ?? "", [label]) !== label) {
      throw request.onGarbage(`ignored the constraint to answer ${JSON.stringify(label)}`);
    }
    scores.push(tokens.reduce((sum, token) => sum + (token.logprob ?? Number.NEGATIVE_INFINITY), 0));
    const answerCounts = tokenCounts(answer);
    counts = { prompt: answerCounts.prompt, evaluated: counts.evaluated + answerCounts.evaluated };
  }
  const choice = chooseLabel(scores.map((logprob) => ({ first: Math.exp(logprob), rest: [] })));
  return {
    choice,
    promptTokens: counts.prompt,
    evaluatedTokens: counts.evaluated,
    requests: request.labels.length,
  };
}

/**
 * The last resort: one generation constrained to the labels (or, if the server rejects structured output, plain
 * generation matched to a label). No probabilities, so the chosen label gets confidence 1.
 */
export async function chooseLabelByGeneration(request: ChatScoringRequest): Promise<ScoredLabels> {
  const body = {
    model: request.model,
    messages: request.messages,
    max_tokens: 64,
    temperature: 0,
    cache_prompt: true,
  };
  let answer: ChatCompletion;
  try {
    answer = await request.api.complete(
      { ...body, response_format: enumFormat(request.labels) },
      true,
      request.signal,
    );
  } catch (error) {
    const status = error instanceof AppError ? error.details?.serverStatus : undefined;
    const rejected = typeof status === "number" && status >= 400 && status < 500 && status !== 429;
    if (!rejected) throw error;
    answer = await request.api.complete(body, true, request.signal);
  }
  const content = answer.choices[0]?.message.content ?? "";
  const label = matchLabel(content, request.labels);
  if (label === undefined) {
    throw request.onGarbage(`answered ${JSON.stringify(content.slice(0, 60))}, which is none of the labels`);
  }
  const index = request.labels.indexOf(label);
  const counts = tokenCounts(answer);
  return {
    choice: { index, probabilities: request.labels.map((_, i) => (i === index ? 1 : 0)) },
    promptTokens: counts.prompt,
    evaluatedTokens: counts.evaluated,
    requests: 1,
  };
}
