import { getLlama, JinjaTemplateChatWrapper, LlamaChatSession, LlamaLogLevel } from "node-llama-cpp";
import { createLocalLlmBackend } from "../../src/engine/local/local-llm-backend.js";
import { classificationPrefix } from "../../src/tasks/classification-prompt.js";
import { bundledTasks } from "../lib/bundled-prompts.js";
import { startCpuContention } from "../lib/cpu-contention.js";
import { roundTo, summarize } from "../lib/percentiles.js";
import type { TableRow } from "../lib/render-table.js";
import { progress, runAsScript, type SectionOptions, type SectionResult } from "../lib/section-protocol.js";
import { loadReviewTexts, pickTexts } from "../lib/sentiment-texts.js";
import { describeThreadShare, threadShare } from "../lib/thread-share.js";

const log = (message: string) => progress("sentiment", message);

/**
 * Sentiment latency for 30–40-token reviews, two ways, alternating request by request so that both meet the same
 * machine load (the ratio between them is the figure that matters):
 * - the fast path: the service's classification path (the shipped sentiment prompt, its prefix warm, labels
 *   scored in one forward pass) on the Q8_0 model with the service's defaults;
 * - the original write-up's way: the F32 model, the whole prompt evaluated for every request (a fresh chat session
 *   on a cleared sequence), and the label generated as free text by node-llama-cpp's default chat generation.
 *   A real model answers with the label and then ends its turn, so generation is capped at the label's tokens
 *   plus end-of-turn (random weights would otherwise never stop).
 */
export async function measureSentimentLatency(options: SectionOptions): Promise<SectionResult> {
  const stop = startCpuContention();
  const { sentiment } = await bundledTasks();
  const labels = sentiment.labels!;
  const prefix = classificationPrefix(sentiment);

  log(`fast path: ${options.models.q8_0}`);
  const backend = await createLocalLlmBackend({
    modelFile: options.models.q8_0,
    threads: options.threads,
    contextSize: 2048,
    sequences: 4,
  });
  await backend.warmUp([prefix]);

  log(`write-up baseline: ${options.models.f32}`);
  const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
  // Read into memory like the service's model: mapped weights stall on this VM, which would flatter the ratio.
  const f32 = await llama.loadModel({ modelPath: options.models.f32, useMmap: false });
  const context = await f32.createContext({ contextSize: 1024, threads: options.threads });
  const sequence = context.getSequence();
  const template = f32.fileInfo.metadata.tokenizer?.chat_template;
  if (typeof template !== "string") throw new Error("The F32 model has no chat template");
  const maxTokens = Math.max(...labels.map((label) => f32.tokenize(label, false).length)) + 1;
  const chatWrapper = new JinjaTemplateChatWrapper({ template });
  const baseline = async (text: string) => {
    await sequence.clearHistory();
    const session = new LlamaChatSession({
      contextSequence: sequence,
      chatWrapper,
      systemPrompt: sentiment.systemPrompt,
      autoDisposeSequence: false,
    });
    await session.prompt(text, { maxTokens });
    session.dispose({ disposeSequence: false });
  };

  const { source, texts } = await loadReviewTexts(options.dataset);
  const picked = pickTexts(texts, (text) => backend.countTokens(text), {
    count: options.quick ? 20 : 60,
    minTokens: 30,
    maxTokens: 40,
  });
  const baselineCount = Math.min(picked.length, options.quick ? 8 : 50);
  log(`${picked.length} reviews from ${source}; the first ${baselineCount} also the write-up's way`);
  const fast: number[] = [];
  const slow: number[] = [];
  const evaluated: number[] = [];
  const forward: number[] = [];
  const render: number[] = [];
  for (const [i, { text }] of picked.entries()) {
    let start = performance.now();
    const result = await backend.classify({ prefix, input: text, labels });
    fast.push(performance.now() - start);
    evaluated.push(result.evaluatedTokens);
    forward.push(result.timings?.forwardMs ?? Number.NaN);
    render.push(result.timings?.renderMs ?? Number.NaN);
    if (i < baselineCount) {
      start = performance.now();
      await baseline(text);
      slow.push(performance.now() - start);
    }
  }
  const fastMs = summarize(fast);
  const slowMs = summarize(slow);
  const meanEvaluated = summarize(evaluated).mean;
  const forwardMs = summarize(forward);
  const renderMs = summarize(render);
  // The forward pass as prompt-processing speed, to set beside llama-bench's pp48 (llama.cpp's own floor).
  const forwardTokPerS = (meanEvaluated / forwardMs.p50) * 1000;
  const threads = threadShare(backend.threadStats?.msAtThreads);
  await backend.dispose();
  await context.dispose();
  await llama.dispose();

  const speedup = slowMs.p50 / fastMs.p50;
  const rows: TableRow[] = [
    {
      section: "sentiment",
      metric: "fast path p50 / p95 (Q8_0, classification path)",
      value: `${roundTo(fastMs.p50, 0)} / ${roundTo(fastMs.p95, 0)} ms`,
      note: `${picked.length} reviews, ${roundTo(meanEvaluated, 1)} tokens evaluated on average; ${describeThreadShare(threads)}`,
    },
    {
      section: "sentiment",
      metric: "write-up style p50 / p95 (F32, full prompt, label as text)",
      value: `${roundTo(slowMs.p50, 0)} / ${roundTo(slowMs.p95, 0)} ms`,
      note: `${slow.length} reviews, alternating with the fast path`,
    },
    {
      section: "sentiment",
      metric: "fast path split (p50): template + tokenize / forward pass + scoring",
      value: `${roundTo(renderMs.p50, 1)} / ${roundTo(forwardMs.p50, 0)} ms`,
      note: `forward pass = ${roundTo(forwardTokPerS, 0)} tok/s of prompt`,
    },
    { section: "sentiment", metric: "speed-up (p50 / p50)", value: `${roundTo(speedup, 1)}×` },
  ];
  return {
    figures: {
      source,
      fast: {
        texts: fast.length,
        p50Ms: roundTo(fastMs.p50),
        p95Ms: roundTo(fastMs.p95),
        meanEvaluatedTokens: roundTo(meanEvaluated, 1),
        renderP50Ms: roundTo(renderMs.p50, 2),
        forwardP50Ms: roundTo(forwardMs.p50),
        forwardTokPerS: roundTo(forwardTokPerS, 1),
      },
      writeUp: { texts: slow.length, p50Ms: roundTo(slowMs.p50), p95Ms: roundTo(slowMs.p95), maxTokens },
      speedup: roundTo(speedup, 2),
      threads,
    },
    rows,
    contention: stop(),
  };
}

runAsScript(import.meta.url, measureSentimentLatency);
