import type { ChatTurn, ClassifyResult, GenerateStreamPart, LlmBackend } from "../../llm-backend.js";
import type { ClassifyMode } from "../remote-backend-options.js";
import type { RecordedExchange } from "./recorded-fetch.js";

/** The calls each fixture scenario makes; recording and replaying run exactly these. */
export interface FixtureScenario {
  name: string;
  classifyMode?: ClassifyMode;
  /** Recorded with llama-server's own endpoints hidden, as a vLLM or Ollama server would look. */
  openAiOnly?: boolean;
  run(backend: LlmBackend): Promise<ScenarioOutcome>;
}

export interface ScenarioOutcome {
  classifications: Omit<ClassifyResult, "timings">[];
  replies: { parts: GenerateStreamPart[] }[];
}

export interface FixtureFile {
  recordedWith: { llamaCpp: string; model: string; server: string };
  scenarios: Record<string, { exchanges: RecordedExchange[]; outcome: ScenarioOutcome }>;
}

export const fixtureSystem: ChatTurn[] = [
  { role: "system", content: "你是一个情感分析师。输出只能是'正面'或'负面'。" },
];

async function classifyAll(backend: LlmBackend, inputs: string[], labels: string[]) {
  const results: ScenarioOutcome["classifications"] = [];
  for (const input of inputs) {
    const { label, confidence, probabilities, promptTokens, evaluatedTokens } = await backend.classify({
      prefix: fixtureSystem,
      input,
      labels,
    });
    results.push({ label, confidence, probabilities, promptTokens, evaluatedTokens });
  }
  return results;
}

async function reply(backend: LlmBackend, content: string) {
  const parts: GenerateStreamPart[] = [];
  for await (const part of backend.generate({
    messages: [...fixtureSystem, { role: "user", content }],
    maxTokens: 8,
    temperature: 0,
    seed: 3,
  })) {
    parts.push(part);
  }
  return { parts };
}

export const fixtureScenarios: FixtureScenario[] = [
  {
    name: "llama-server",
    async run(backend) {
      const sentiment = await classifyAll(backend, ["这家酒店很好", "失望"], ["正面", "负面"]);
      const multiToken = await classifyAll(backend, ["早餐不错"], ["积极", "消极", "中性"]);
      const overlapping = await classifyAll(backend, ["早餐不错"], ["正面", "正面好评", "负面"]);
      return {
        classifications: [...sentiment, ...multiToken, ...overlapping],
        replies: [await reply(backend, "你好")],
      };
    },
  },
  {
    name: "openai",
    openAiOnly: true,
    async run(backend) {
      return {
        classifications: await classifyAll(backend, ["这家酒店很好"], ["正面", "负面"]),
        replies: [await reply(backend, "你好")],
      };
    },
  },
  {
    name: "generated",
    classifyMode: "generated",
    openAiOnly: true,
    async run(backend) {
      return { classifications: await classifyAll(backend, ["这家酒店很好"], ["正面", "负面"]), replies: [] };
    },
  },
];
