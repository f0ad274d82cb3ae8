import type { ChatTurn } from "../../src/engine/llm-backend.js";
import { createLocalLlmBackend, type LocalLlmBackend } from "../../src/engine/local/local-llm-backend.js";
import { classificationPrefix } from "../../src/tasks/classification-prompt.js";
import { bundledTasks } from "../lib/bundled-prompts.js";
import { startCpuContention } from "../lib/cpu-contention.js";
import { roundTo, summarize } from "../lib/percentiles.js";
import type { TableRow } from "../lib/render-table.js";
import { progress, runAsScript, type SectionOptions, type SectionResult } from "../lib/section-protocol.js";
import { loadReviewTexts, pickTexts } from "../lib/sentiment-texts.js";

const log = (message: string) => progress("classifiers", message);

/** Label sets by size: one-token labels (single CJK characters) and words of two to four characters. */
const oneTokenLabels = [..."甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳"];
const wordLabels = [
  ..."卡片办理 卡片故障 支付问题 转账汇款 充值 取现 费用汇率 退款 身份验证 账户管理 投诉建议 物流 售后 发票 会员 其他".split(
    " ",
  ),
];
const labelCounts = [2, 4, 8, 12, 16];

interface Classifier {
  prefix: ChatTurn[];
  labels: string[];
}

/** Runs `conditions` once per text, rotating their order text by text so that drift in load hits all alike. */
async function interleaved(
  texts: readonly string[],
  conditions: ReadonlyArray<{ name: string; run: (text: string) => Promise<unknown> }>,
): Promise<Map<string, number[]>> {
  const times = new Map(conditions.map((c) => [c.name, [] as number[]]));
  for (const [i, text] of texts.entries()) {
    for (let k = 0; k < conditions.length; k++) {
      const condition = conditions[(i + k) % conditions.length]!;
      const start = performance.now();
      await condition.run(text);
      times.get(condition.name)!.push(performance.now() - start);
    }
  }
  return times;
}

const classify = (backend: LocalLlmBackend, classifier: Classifier, input: string) =>
  backend.classify({ prefix: classifier.prefix, input, labels: classifier.labels });

/**
 * The all-in-one turn's classifiers and the cost of label sets, on the Qwen1.5-0.5B-shaped Q8_0 model with the
 * service's defaults (4 sequences, prefixes warm), on 30–40-token reviews:
 * - one classification (sentiment) against sentiment + moderation + qa-check run at once, as /api/analyze runs them
 *   (one sequence each, decoded in shared batches), and against the three one after another;
 * - one classification over K = 2…16 labels, one-token labels and 2–4-token words, all with the same warm prompt.
 * Every condition runs on every text, in a rotating order, so load changes hit all of them alike.
 */
export async function measureClassifiers(options: SectionOptions): Promise<SectionResult> {
  const stop = startCpuContention();
  const tasks = await bundledTasks();
  const turn: Classifier[] = [tasks.sentiment, tasks.moderation, tasks.qaCheck].map((definition) => ({
    prefix: classificationPrefix(definition),
    labels: definition.labels!,
  }));
  const intentPrefix = classificationPrefix(tasks.intent);
  log(`model: ${options.models.q8_0}`);
  const backend = await createLocalLlmBackend({
    modelFile: options.models.q8_0,
    threads: options.threads,
    contextSize: 2048,
    sequences: 4,
  });
  await backend.warmUp([...turn.map((c) => c.prefix), intentPrefix]);
  const { source, texts } = await loadReviewTexts(options.dataset);
  const picked = pickTexts(texts, (text) => backend.countTokens(text), {
    count: options.quick ? 10 : 40,
    minTokens: 30,
    maxTokens: 40,
  }).map((t) => t.text);

  log(`turn: 1 vs 3 classifiers on ${picked.length} reviews from ${source}`);
  // Warm each path once, so no condition pays a first-use cost.
  await Promise.all(turn.map((c) => classify(backend, c, picked[0]!)));
  const turnTimes = await interleaved(picked, [
    { name: "one", run: (text) => classify(backend, turn[0]!, text) },
    { name: "three in one batch", run: (text) => Promise.all(turn.map((c) => classify(backend, c, text))) },
    {
      name: "three one after another",
      run: async (text) => {
        for (const c of turn) await classify(backend, c, text);
      },
    },
  ]);
  const turnMs = Object.fromEntries([...turnTimes].map(([name, ms]) => [name, summarize(ms)]));
  const one = turnMs["one"]!;
  const batched = turnMs["three in one batch"]!;
  const sequential = turnMs["three one after another"]!;

  log(`labels: K = ${labelCounts.join(", ")}, one-token and multi-token`);
  const families = { "one-token": oneTokenLabels, "2–4-token": wordLabels };
  const labelConditions = Object.entries(families).flatMap(([family, pool]) =>
    labelCounts.map((k) => {
      const classifier = { prefix: intentPrefix, labels: pool.slice(0, k) };
      return { name: `${family} K=${k}`, run: (text: string) => classify(backend, classifier, text) };
    }),
  );
  for (const condition of labelConditions) await condition.run(picked[0]!);
  const labelTexts = picked.slice(0, options.quick ? 6 : 20);
  const labelTimes = await interleaved(labelTexts, labelConditions);
  const labelMs = Object.fromEntries([...labelTimes].map(([name, ms]) => [name, roundTo(summarize(ms).p50)]));
  await backend.dispose();

  const ratio = batched.p50 / one.p50;
  const rows: TableRow[] = [
    {
      section: "classifiers",
      metric: "turn: 1 classifier / 3 in one batch / 3 one after another (p50)",
      value: `${roundTo(one.p50, 0)} / ${roundTo(batched.p50, 0)} / ${roundTo(sequential.p50, 0)} ms`,
      note: `sentiment; + moderation, qa-check; ${picked.length} reviews, interleaved`,
    },
    {
      section: "classifiers",
      metric: "turn: 3 classifiers ÷ 1 (p50, same run)",
      value: `${roundTo(ratio, 2)}×`,
      note: `one after another: ${roundTo(sequential.p50 / one.p50, 2)}×`,
    },
    ...Object.keys(families).map((family) => ({
      section: "classifiers",
      metric: `one classification by label count, ${family} labels (p50)`,
      value: labelCounts.map((k) => `K=${k}: ${labelMs[`${family} K=${k}`]}`).join(", ") + " ms",
      note: `${labelTexts.length} reviews, intent's prompt warm`,
    })),
  ];
  return {
    figures: {
      source,
      turn: {
        texts: picked.length,
        oneP50Ms: roundTo(one.p50),
        threeBatchedP50Ms: roundTo(batched.p50),
        threeSequentialP50Ms: roundTo(sequential.p50),
        oneP95Ms: roundTo(one.p95),
        threeBatchedP95Ms: roundTo(batched.p95),
        ratioP50: roundTo(ratio, 3),
        sequentialRatioP50: roundTo(sequential.p50 / one.p50, 3),
      },
      labelCountP50Ms: labelMs,
    },
    rows,
    contention: stop(),
  };
}

runAsScript(import.meta.url, measureClassifiers);
