import { createParser } from "eventsource-parser";
import type { ChatTurn } from "../../src/engine/llm-backend.js";
import { tokenSequenceGrammar } from "../../src/engine/openai-compatible/token-logprob-scorer.js";

/** One chat reply as a client sees it. */
export interface TimedReply {
  /** Request sent → first text. */
  ttftMs: number;
  /** Tokens after the first, over the time after the first. */
  decodeTokPerS: number;
  completionTokens: number;
}

/** What the benchmark asks of each system under test, over its own HTTP API. */
export interface ServingClient {
  name: string;
  /** Classifies one review; resolves with the label. */
  classify(text: string): Promise<string>;
  reply(messages: ChatTurn[], maxTokens: number, seed: number): Promise<TimedReply>;
}

/** Reads server-sent events off a fetch response, calling `onEvent` for each as it arrives. */
export async function readEvents(
  response: Response,
  onEvent: (event: string | undefined, data: string) => void,
) {
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  const parser = createParser({ onEvent: ({ event, data }) => onEvent(event, data) });
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    parser.feed(decoder.decode(chunk.value, { stream: true }));
  }
}

function timing(start: number, first: number, last: number, completionTokens: number): TimedReply {
  return {
    ttftMs: first - start,
    decodeTokPerS: completionTokens > 1 ? (completionTokens - 1) / ((last - first) / 1000) : Number.NaN,
    completionTokens,
  };
}

const post = (url: string, body: unknown) =>
  fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/** promptloop's own API: POST /api/sentiment, and /api/chat streamed (`event: token` … `event: done`). */
export function promptloopClient(name: string, baseUrl: string): ServingClient {
  return {
    name,
    async classify(text) {
      const response = await post(`${baseUrl}/api/sentiment`, { text });
      const body = (await response.json()) as { label?: string; error?: unknown };
      if (!response.ok || !body.label) throw new Error(`HTTP ${response.status}: ${JSON.stringify(body)}`);
      return body.label;
    },
    async reply(messages) {
      const start = performance.now();
      let first = Number.NaN;
      let last = Number.NaN;
      let completionTokens = 0;
      await readEvents(await post(`${baseUrl}/api/chat`, { messages, stream: true }), (event, data) => {
        if (event === "token") {
          last = performance.now();
          if (Number.isNaN(first)) first = last;
        } else if (event === "done") {
          completionTokens = (JSON.parse(data) as { usage: { completionTokens: number } }).usage
            .completionTokens;
        } else if (event === "error") throw new Error(data);
      });
      return timing(start, first, last, completionTokens);
    },
  };
}

/**
 * llama-server used directly, the way its own docs suggest: the label as one grammar-constrained token from
 * `/completion` on the prompt rendered by the model's template (rendered once per text, before timing), with its
 * probabilities; chat through `/v1/chat/completions` streamed.
 */
export async function llamaServerClient(
  baseUrl: string,
  prefix: ChatTurn[],
  labels: string[],
  sampling: Record<string, unknown>,
): Promise<ServingClient & { render(texts: string[]): Promise<void> }> {
  const labelTokens = await Promise.all(
    labels.map(async (label) => {
      const response = await post(`${baseUrl}/tokenize`, { content: label });
      return ((await response.json()) as { tokens: number[] }).tokens;
    }),
  );
  if (labelTokens.some((tokens) => tokens.length !== 1)) throw new Error("labels must be single tokens here");
  const grammar = tokenSequenceGrammar(labelTokens.map((tokens) => [tokens[0]!]));
  const prompts = new Map<string, string>();
  return {
    name: "llama-server alone",
    async render(texts) {
      for (const text of texts) {
        const response = await post(`${baseUrl}/apply-template`, {
          messages: [...prefix, { role: "user", content: text }],
        });
        prompts.set(text, ((await response.json()) as { prompt: string }).prompt);
      }
    },
    async classify(text) {
      const prompt = prompts.get(text);
      if (prompt === undefined) throw new Error("render the texts first");
      const response = await post(`${baseUrl}/completion`, {
        prompt,
        n_predict: 1,
        grammar,
        n_probs: labels.length,
        post_sampling_probs: true,
        temperature: 1,
        samplers: ["temperature"],
        cache_prompt: true,
      });
      const body = (await response.json()) as { content?: string };
      if (!response.ok || body.content === undefined)
        throw new Error(`HTTP ${response.status}: ${JSON.stringify(body)}`);
      return body.content;
    },
    async reply(messages, maxTokens, seed) {
      const start = performance.now();
      let first = Number.NaN;
      let last = Number.NaN;
      let completionTokens = 0;
      const body = {
        messages,
        max_tokens: maxTokens,
        seed,
        stream: true,
        stream_options: { include_usage: true },
        ...sampling,
      };
      await readEvents(await post(`${baseUrl}/v1/chat/completions`, body), (_event, data) => {
        if (data.trim() === "[DONE]") return;
        const chunk = JSON.parse(data) as {
          choices?: { delta?: { content?: string } }[];
          usage?: { completion_tokens: number };
          error?: unknown;
        };
        if (chunk.error) throw new Error(JSON.stringify(chunk.error));
        if (chunk.choices?.some((choice) => choice.delta?.content)) {
          last = performance.now();
          if (Number.isNaN(first)) first = last;
        }
        if (chunk.usage) completionTokens = chunk.usage.completion_tokens;
      });
      return timing(start, first, last, completionTokens);
    },
  };
}
