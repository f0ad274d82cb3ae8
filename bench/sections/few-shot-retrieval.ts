import { createFewShotRetriever } from "../../src/analysis/core/candidates/few-shot-retriever.js";
import type { RetrievalConfig } from "../../src/analysis/core/candidates/candidate-prompt.js";
import { zhWordsAndBigramsTokenizer } from "../../src/analysis/core/bm25-index.js";
import { createSeededRandom } from "../../src/statistics/seeded-random.js";
import { startCpuContention } from "../lib/cpu-contention.js";
import { roundTo, summarize } from "../lib/percentiles.js";
import { progress, runAsScript, type SectionOptions, type SectionResult } from "../lib/section-protocol.js";
import type { TableRow } from "../lib/render-table.js";
import { loadReviewTexts } from "../lib/sentiment-texts.js";

/** The few-shot memory strategy's defaults (few-shot-memory-strategy.ts): examples up to 120 characters. */
const maxExampleChars = 120;

/**
 * Texts for the pool and the queries. A dataset gives its own reviews (those up to 120 characters, as the memory
 * keeps); the ~80 built-in samples are too few, so their clauses are recombined (seeded) into distinct reviews.
 */
function reviewTexts(source: readonly string[], count: number): string[] {
  const fitting = [...new Set(source.filter((text) => text.length <= maxExampleChars))];
  if (fitting.length >= count) return fitting.slice(0, count);
  const clauses = [...new Set(source.flatMap((text) => text.split(/[，。！？,.!?]/).filter(Boolean)))];
  const random = createSeededRandom(20);
  const texts = new Set(fitting);
  while (texts.size < count) {
    const parts = Array.from({ length: 2 + Math.floor(random() * 3) }, () => {
      return clauses[Math.floor(random() * clauses.length)]!;
    });
    texts.add(`${parts.join("，")}。`);
  }
  return [...texts];
}

/**
 * Per-request latency of the few-shot memory's retrieval (what the engine calls before every classification of a
 * version with `retrieval`), on pools of stored corrections of several sizes, plus the one-off index build per
 * version. Deterministic texts, so runs before and after a change compare.
 */
export async function measureFewShotRetrieval(options: SectionOptions): Promise<SectionResult> {
  const poolSizes = options.quick ? [300, 3000] : [300, 3000, 10000];
  const queryCount = options.quick ? 300 : 1000;
  const { source, texts } = await loadReviewTexts(options.dataset);
  const all = reviewTexts(
    texts.map((t) => t.text),
    Math.max(...poolSizes) + queryCount,
  );
  const queries = all.slice(0, queryCount);
  const stop = startCpuContention();
  const figures: Record<string, unknown> = {
    source,
    queries: queryCount,
    k: 4,
    k1: 1.2,
    b: 0.75,
    minScore: 1,
  };
  const rows: TableRow[] = [];
  for (const poolSize of poolSizes) {
    progress(
      "few-shot-retrieval",
      `pool of ${poolSize}: building the index and running ${queryCount} queries`,
    );
    const config: RetrievalConfig = {
      method: "bm25",
      tokenizer: zhWordsAndBigramsTokenizer,
      k: 4,
      k1: 1.2,
      b: 0.75,
      minScore: 1,
      maxExampleChars,
      pool: all
        .slice(queryCount, queryCount + poolSize)
        .map((input, i) => ({ input, label: i % 2 ? "正面" : "负面" })),
    };
    const buildMs: number[] = [];
    let retriever = createFewShotRetriever(config);
    for (let rep = 0; rep < (options.quick ? 3 : 5); rep++) {
      const started = performance.now();
      retriever = createFewShotRetriever(config);
      buildMs.push(performance.now() - started);
    }
    for (const query of queries.slice(0, 50)) retriever.retrieve(query); // warm-up (JIT)
    const requestMs: number[] = [];
    let shown = 0;
    for (const query of queries) {
      const started = performance.now();
      shown += retriever.retrieve(query).length;
      requestMs.push(performance.now() - started);
    }
    const request = summarize(requestMs);
    const build = summarize(buildMs);
    figures[`pool${poolSize}`] = {
      requestP50Ms: roundTo(request.p50, 3),
      requestP95Ms: roundTo(request.p95, 3),
      requestMeanMs: roundTo(request.mean, 3),
      buildP50Ms: roundTo(build.p50, 1),
      examplesShownPerRequest: roundTo(shown / queryCount, 2),
    };
    rows.push({
      section: "few-shot-retrieval",
      metric: `retrieve k=4 from ${poolSize} examples, per request`,
      value: `${roundTo(request.p50, 3)} ms`,
      note: `p95 ${roundTo(request.p95, 3)} ms; index build ${roundTo(build.p50, 1)} ms once per version`,
    });
  }
  return { figures, rows, contention: stop() };
}

runAsScript(import.meta.url, measureFewShotRetrieval);
