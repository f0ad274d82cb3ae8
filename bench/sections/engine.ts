import { createLocalLlmBackend } from "../../src/engine/local/local-llm-backend.js";
import type { ChatTurn, GenerateRequest, GenerateStreamPart } from "../../src/engine/llm-backend.js";
import { classificationPrefix } from "../../src/tasks/classification-prompt.js";
import { bundledTasks } from "../lib/bundled-prompts.js";
import { residentMiB, startCpuContention } from "../lib/cpu-contention.js";
import { roundTo, summarize } from "../lib/percentiles.js";
import type { TableRow } from "../lib/render-table.js";
import { progress, runAsScript, type SectionOptions, type SectionResult } from "../lib/section-protocol.js";
import { describeThreadShare, threadShare } from "../lib/thread-share.js";

const log = (message: string) => progress("engine", message);

/** The service's defaults (config.ts): 4 sequences of 2048 tokens. */
const serviceShape = { contextSize: 2048, sequences: 4 } as const;

const chatQuestion = "你好，我下周要去杭州出差三天，能推荐一下住在哪里比较方便吗？";
const longQuestion =
  "我下周要去杭州出差三天，主要在西湖区和滨江区开会，想找一家交通方便、安静干净、价格适中的酒店，最好附近有地铁站和吃饭的地方，你有什么建议吗？";

/**
 * A 50-token prompt that nothing in the engine can reuse: a system turn whose first character differs per variant
 * (without one, Qwen's template inserts its default system prompt, which every such prompt shares), and a question
 * cut so that template plus text come to 50 tokens. `templateTokens` is what the template adds around the text.
 */
function fiftyTokenConversation(
  variant: number,
  countTokens: (text: string) => number,
  templateTokens: number,
): ChatTurn[] {
  const system = `${"甲乙丙丁戊己庚辛壬癸"[variant % 10]}：你是友善的助手。`;
  let question = longQuestion;
  while (question.length > 1 && countTokens(system) + countTokens(question) + templateTokens > 50) {
    question = question.slice(0, -1);
  }
  return [
    { role: "system", content: system },
    { role: "user", content: question },
  ];
}

interface Timed {
  firstTokenMs: number;
  totalMs: number;
  completionTokens: number;
  promptTokens: number;
  evaluatedPromptTokens: number;
}

/** Runs one reply to its end, timing the first text part (what a user sees first) and the finish. */
async function timedReply(
  generate: (request: GenerateRequest) => AsyncIterable<GenerateStreamPart>,
  request: GenerateRequest,
): Promise<Timed> {
  const start = performance.now();
  let firstTokenMs = Number.NaN;
  for await (const part of generate(request)) {
    if (part.type === "text" && Number.isNaN(firstTokenMs)) firstTokenMs = performance.now() - start;
    if (part.type === "finish") {
      return {
        // With maxTokens 1 a held-back partial character may leave no text part: the finish is then the first token.
        firstTokenMs: Number.isNaN(firstTokenMs) ? performance.now() - start : firstTokenMs,
        totalMs: performance.now() - start,
        completionTokens: part.completionTokens,
        promptTokens: part.promptTokens,
        evaluatedPromptTokens: part.evaluatedPromptTokens,
      };
    }
  }
  throw new Error("The reply stream ended without a finish part");
}

/**
 * The service's engine on the Q8_0 model with the service's defaults: load time, memory after the first
 * evaluation (the warm-up), and chat time-to-first-token and decode speed through the generation path.
 */
export async function measureEngine(options: SectionOptions): Promise<SectionResult> {
  const stop = startCpuContention();
  const { sentiment, chat } = await bundledTasks();
  const rows: TableRow[] = [];
  const figures: Record<string, unknown> = { threads: options.threads, ...serviceShape };

  log(`loading ${options.models.q8_0} (${options.threads} threads, ${serviceShape.sequences} sequences)`);
  const loadStart = performance.now();
  const backend = await createLocalLlmBackend({
    modelFile: options.models.q8_0,
    threads: options.threads,
    ...serviceShape,
  });
  const loadMs = performance.now() - loadStart;
  const prefix = classificationPrefix(sentiment);
  const warmStart = performance.now();
  await backend.warmUp([prefix]);
  const warmUpMs = performance.now() - warmStart;
  const memory = residentMiB();
  Object.assign(figures, {
    loadMs: roundTo(loadMs),
    warmUpMs: roundTo(warmUpMs),
    rssMiB: roundTo(memory.rss, 0),
  });
  rows.push(
    { section: "engine", metric: "load (model + context + sequences)", value: `${roundTo(loadMs, 0)} ms` },
    {
      section: "engine",
      metric: "warm-up (sentiment prefix into every sequence)",
      value: `${roundTo(warmUpMs, 0)} ms`,
    },
    {
      section: "engine",
      metric: "RSS after first evaluation",
      value: `${roundTo(memory.rss / 1024, 2)} GiB`,
      note: `${serviceShape.sequences} sequences × ${serviceShape.contextSize} tokens, KV cache q8_0`,
    },
  );

  // Chat: time to first token for a 50-token prompt evaluated whole (no reusable prefix), and for the chat task's
  // real prompt with its system prompt warm.
  const params = chat.params ?? {};
  const sampling = {
    ...(params.temperature !== undefined && { temperature: params.temperature }),
    ...(params.topP !== undefined && { topP: params.topP }),
    ...(params.topK !== undefined && { topK: params.topK }),
    ...(params.repeatPenalty !== undefined && { repeatPenalty: params.repeatPenalty }),
  };
  const reps = options.quick ? 3 : 7;
  const probeSystem = "你是友善的助手。";
  const probe = await timedReply((r) => backend.generate(r), {
    messages: [
      { role: "system", content: probeSystem },
      { role: "user", content: longQuestion },
    ],
    maxTokens: 1,
  });
  const templateOverhead =
    probe.promptTokens - backend.countTokens(probeSystem) - backend.countTokens(longQuestion);
  const cold: Timed[] = [];
  const warm: Timed[] = [];
  log(
    `chat: time to first token, ${reps} cold 50-token prompts and ${reps} with the chat system prompt warm`,
  );
  await timedReply((r) => backend.generate(r), {
    messages: [
      { role: "system", content: chat.systemPrompt },
      { role: "user", content: chatQuestion },
    ],
    maxTokens: 1,
  });
  for (let i = 0; i < reps; i++) {
    const messages = fiftyTokenConversation(i, (text) => backend.countTokens(text), templateOverhead);
    cold.push(await timedReply((r) => backend.generate(r), { messages, maxTokens: 1, seed: i, ...sampling }));
    const again: ChatTurn[] = [
      { role: "system", content: chat.systemPrompt },
      { role: "user", content: `${chatQuestion.slice(0, -1)}${i}？` },
    ];
    warm.push(
      await timedReply((r) => backend.generate(r), { messages: again, maxTokens: 1, seed: i, ...sampling }),
    );
  }
  const coldTtft = summarize(cold.map((t) => t.firstTokenMs));
  const warmTtft = summarize(warm.map((t) => t.firstTokenMs));

  log("chat: 64-token replies through the generation path");
  const decodeRates: number[] = [];
  const replyTokens: number[] = [];
  for (let i = 0; i < reps; i++) {
    const messages: ChatTurn[] = [
      { role: "system", content: chat.systemPrompt },
      { role: "user", content: `${chatQuestion}（${i}）` },
    ];
    const reply = await timedReply((r) => backend.generate(r), {
      messages,
      maxTokens: 64,
      seed: 100 + i,
      ...sampling,
    });
    // Decode speed excludes the prompt: tokens after the first, over the time after the first.
    decodeRates.push((reply.completionTokens - 1) / ((reply.totalMs - reply.firstTokenMs) / 1000));
    replyTokens.push(reply.completionTokens);
  }
  const decode = summarize(decodeRates);
  Object.assign(figures, {
    chat: {
      ttft50TokenMs: {
        p50: roundTo(coldTtft.p50),
        runs: cold.map((t) => roundTo(t.firstTokenMs)),
        promptTokens: cold.map((t) => t.promptTokens),
        evaluatedTokens: cold.map((t) => t.evaluatedPromptTokens),
      },
      ttftWarmSystemPromptMs: {
        p50: roundTo(warmTtft.p50),
        promptTokens: warm[0]!.promptTokens,
        evaluatedTokens: warm[0]!.evaluatedPromptTokens,
      },
      decodeTokPerS: { p50: roundTo(decode.p50), runs: decodeRates.map((r) => roundTo(r)), replyTokens },
    },
    prefixCache: backend.prefixCacheStats,
    threads: threadShare(backend.threadStats?.msAtThreads),
  });
  rows.push(
    {
      section: "chat",
      metric: `time to first token, ${cold[0]!.promptTokens}-token prompt`,
      value: `${roundTo(coldTtft.p50, 0)} ms`,
      note: `${cold[0]!.evaluatedPromptTokens} tokens evaluated (new system prompt: includes saving its snapshot)`,
    },
    {
      section: "chat",
      metric: "time to first token, chat.v1 with system prompt warm",
      value: `${roundTo(warmTtft.p50, 0)} ms`,
      note: `${warm[0]!.evaluatedPromptTokens} of ${warm[0]!.promptTokens} tokens evaluated`,
    },
    {
      section: "chat",
      metric: "decode, 64-token reply (service path)",
      value: `${roundTo(decode.p50, 1)} tok/s`,
      note: `runs ${decodeRates.map((r) => roundTo(r, 1)).join(", ")}; chat.v1 sampling`,
    },
  );
  rows.push({
    section: "engine",
    metric: "threads used (adaptive)",
    value: describeThreadShare(threadShare(backend.threadStats?.msAtThreads)),
    note: "share of the section's time at each thread count",
  });
  await backend.dispose();
  return { figures, rows, contention: stop() };
}

runAsScript(import.meta.url, measureEngine);
