import { describe, expect, it } from "vitest";
import { fixtureScenarios } from "./test-support/fixture-scenarios.js";
import { replayFetch } from "./test-support/recorded-fetch.js";
import { backendOn, exchangesOf, fixtures, sentiment } from "./test-support/recorded-server.js";

describe("replaying exchanges recorded from a real llama-server", () => {
  it.each(fixtureScenarios)("$name: the same results as on the real server", async (scenario) => {
    const recorded = fixtures.scenarios[scenario.name]!;
    const backend = await backendOn(replayFetch(recorded.exchanges), {
      classifyMode: scenario.classifyMode,
      model: scenario.openAiOnly ? undefined : "tiny",
    });
    expect(await scenario.run(backend)).toEqual(recorded.outcome);
    expect(backend.status()).toMatchObject({
      dialect: scenario.openAiOnly ? "openai" : "llama-server",
      classifyMode: scenario.classifyMode ?? (scenario.openAiOnly ? "text-logprobs" : "token-logprobs"),
      circuit: "closed",
    });
  });

  it("scores a two-label classification in one request once the labels' tokens are known", async () => {
    const fetch = replayFetch(exchangesOf("llama-server"));
    const backend = await backendOn(fetch);
    await backend.classify(sentiment);
    fetch.calls.length = 0;
    await backend.classify({ ...sentiment, input: "失望" });
    expect(fetch.calls).toEqual(["POST /apply-template", "POST /completion"]);
  });

  it("learns the model name from /v1/models on a server that isn't llama-server", async () => {
    const backend = await backendOn(replayFetch(exchangesOf("openai")), { model: undefined });
    await backend.classify(sentiment);
    expect(backend.status().model).toMatch(/tiny-qwen2/);
    expect(backend.info).toMatchObject({ backend: "remote", sequences: 1 });
    expect(backend.info.local).toBeUndefined();
  });

  it("falls back to constrained generation when the server sends no log-probabilities, and says so", async () => {
    // The same answers without log-probabilities, as Ollama's OpenAI layer gives them.
    const withoutLogprobs = exchangesOf("openai").map((exchange) => {
      if (
        exchange.request.path !== "/v1/chat/completions" ||
        exchange.response.contentType.includes("event-stream")
      )
        return exchange;
      const body = JSON.parse(exchange.response.body) as { choices: { logprobs?: unknown }[] };
      for (const choice of body.choices) choice.logprobs = null;
      return { ...exchange, response: { ...exchange.response, body: JSON.stringify(body) } };
    });
    const backend = await backendOn(replayFetch([...withoutLogprobs, ...exchangesOf("generated")]), {
      model: undefined,
    });
    expect(backend.status().classifyMode).toBe("text-logprobs");
    const result = await backend.classify(sentiment);
    expect(result.confidence).toBe(1);
    expect(result.label).toBe(fixtures.scenarios.generated!.outcome.classifications[0]!.label);
    expect(backend.status().classifyMode).toBe("generated");
  });
});
