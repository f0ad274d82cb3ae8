import { getLlama, JinjaTemplateChatWrapper, LlamaChatSession, LlamaLogLevel } from "node-llama-cpp";
import { bundledTasks } from "../lib/bundled-prompts.js";
import { startCpuContention } from "../lib/cpu-contention.js";
import { roundTo, summarize } from "../lib/percentiles.js";
import type { TableRow } from "../lib/render-table.js";
import { progress, runAsScript, type SectionOptions, type SectionResult } from "../lib/section-protocol.js";
import { loadReviewTexts, pickTexts } from "../lib/sentiment-texts.js";

const log = (message: string) => progress("baseline", message);

/**
 * Sentiment the way the original write-up runs it, on the same machine in the same run: the F32 model, the whole
 * prompt evaluated for every request (a fresh chat session on a cleared sequence), and the label generated as free
 * text by node-llama-cpp's default chat generation. A real model answers with the label and then ends its turn,
 * so generation is capped at the label's tokens plus end-of-turn (random weights would otherwise never stop).
 */
export async function measureWriteUpBaseline(options: SectionOptions): Promise<SectionResult> {
  const stop = startCpuContention();
  const { sentiment } = await bundledTasks();
  log(`loading ${options.models.f32}`);
  const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath: options.models.f32 });
  const context = await model.createContext({ contextSize: 1024, threads: options.threads });
  const sequence = context.getSequence();
  const template = model.fileInfo.metadata.tokenizer?.chat_template;
  if (typeof template !== "string") throw new Error("The F32 model has no chat template");
  const labelTokens = Math.max(...sentiment.labels!.map((label) => model.tokenize(label, false).length));

  const { texts } = await loadReviewTexts(options.dataset);
  const count = options.quick ? 8 : 50;
  const picked = pickTexts(texts, (text) => model.tokenize(text, false).length, {
    count,
    minTokens: 30,
    maxTokens: 40,
  });
  log(`${picked.length} reviews, full prompt each time, up to ${labelTokens + 1} generated tokens`);
  const latencies: number[] = [];
  for (const { text } of picked) {
    const start = performance.now();
    await sequence.clearHistory();
    const session = new LlamaChatSession({
      contextSequence: sequence,
      chatWrapper: new JinjaTemplateChatWrapper({ template }),
      systemPrompt: sentiment.systemPrompt,
      autoDisposeSequence: false,
    });
    await session.prompt(text, { maxTokens: labelTokens + 1 });
    session.dispose({ disposeSequence: false });
    latencies.push(performance.now() - start);
  }
  const summary = summarize(latencies);
  await context.dispose();
  await model.dispose();
  await llama.dispose();
  const rows: TableRow[] = [
    {
      section: "sentiment",
      metric: "write-up baseline p50 / p95 (F32, full prompt, label as text)",
      value: `${roundTo(summary.p50, 0)} / ${roundTo(summary.p95, 0)} ms`,
      note: `${picked.length} reviews`,
    },
  ];
  return {
    figures: {
      texts: picked.length,
      p50Ms: roundTo(summary.p50),
      p95Ms: roundTo(summary.p95),
      maxTokens: labelTokens + 1,
    },
    rows,
    contention: stop(),
  };
}

runAsScript(import.meta.url, measureWriteUpBaseline);
