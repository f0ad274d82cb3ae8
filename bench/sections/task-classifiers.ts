import type { ChatTurn, ClassifyResult } from "../../src/engine/llm-backend.js";
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

interface Condition {
  name: string;
  run: (text: string) => Promise<unknown>;
}

/**
 * Runs every condition once per round, rotating their order so that drift in load hits all alike. `textOf` picks
 * each run's input: a text no sequence holds yet, for timings that include the input's prefill.
 */
async function rotated(
  rounds: number,
  conditions: readonly Condition[],
  textOf: (round: number, slot: number) => string,
): Promise<Map<string, number[]>> {
  const times = new Map(conditions.map((c) => [c.name, [] as number[]]));
  for (let round = 0; round < rounds; round++) {
    for (let slot = 0; slot < conditions.length; slot++) {
      const condition = conditions[(round + slot) % conditions.length]!;
      const text = textOf(round, slot);
      const start = performance.now();
      await condition.run(text);
      times.get(condition.name)!.push(performance.now() - start);
    }
  }
  return times;
}

const classify = (backend: LocalLlmBackend, classifier: Classifier, input: string) =>
  backend.classify({ prefix: classifier.prefix, input, labels: classifier.labels });

const p50 = (values: readonly number[]) => roundTo(summarize(values).p50);

/**
 * The all-in-one turn's classifiers and the cost of label sets, on the Qwen1.5-0.5B-shaped Q8_0 model with the
 * service's defaults (4 sequences, prefixes warm) and label lanes of 1024 tokens, on 30–40-token reviews:
 * - one classification (sentiment) against sentiment + moderation + qa-check run at once, as /api/analyze runs them
 *   (one sequence each, decoded in shared batches), and against the three one after another. Every run gets an
 *   input no sequence has seen, so each pays its input's prefill, as a real turn does;
 * - where the time goes: the prefill of one input alone and of three at once, and label scoring alone (the same
 *   request again, its prompt already in the sequence), per classifier;
 * - one classification over K = 2…16 labels, one-token labels and 2–4-token words, prompt already evaluated (label
 *   scoring only), with the label paths forked into lanes and, as the same-run reference, one after another.
 */
export async function measureClassifiers(options: SectionOptions): Promise<SectionResult> {
  const stop = startCpuContention();
  const tasks = await bundledTasks();
  const names = ["sentiment", "moderation", "qa-check"];
  const turn: Classifier[] = [tasks.sentiment, tasks.moderation, tasks.qaCheck].map((definition) => ({
    prefix: classificationPrefix(definition),
    labels: definition.labels!,
  }));
  const intentPrefix = classificationPrefix(tasks.intent);
  log(`model: ${options.models.q8_0}`);
  const engine = (labelLaneTokens?: number) =>
    createLocalLlmBackend({
      modelFile: options.models.q8_0,
      threads: options.threads,
      contextSize: 2048,
      sequences: 4,
      ...(labelLaneTokens === undefined ? {} : { labelLaneTokens }),
    });
  // Lanes as long as intent's prompt with a review (about 530 tokens; the default 512 covers the turn's three).
  const laneTokens = 1024;
  const backend = await engine(laneTokens);
  await backend.warmUp([...turn.map((c) => c.prefix), intentPrefix]);
  const { source, texts } = await loadReviewTexts(options.dataset);
  const rounds = options.quick ? 6 : 20;
  const picked = pickTexts(texts, (text) => backend.countTokens(text), {
    count: 3 * rounds + 1,
    minTokens: 30,
    maxTokens: 40,
  }).map((t) => t.text);
  const turnRounds = Math.min(rounds, Math.floor((picked.length - 1) / 3));
  // Each run of a round takes its own text; texts repeat only across rounds when the sample is short.
  const fresh = (round: number, slot: number) => picked[1 + ((round * 3 + slot) % (picked.length - 1))]!;

  log(`turn: 1 vs 3 classifiers, ${turnRounds} rounds, fresh inputs from ${source}`);
  // Warm each path once (and the lanes), so no condition pays a first-use cost.
  await Promise.all(turn.map((c) => classify(backend, c, picked[0]!)));
  const alone: ClassifyResult[] = [];
  const batched: ClassifyResult[][] = [];
  const turnTimes = await rotated(
    turnRounds,
    [
      { name: "one", run: async (text) => alone.push(await classify(backend, turn[0]!, text)) },
      {
        name: "three in one batch",
        run: async (text) => batched.push(await Promise.all(turn.map((c) => classify(backend, c, text)))),
      },
      {
        name: "three one after another",
        run: async (text) => {
          for (const c of turn) await classify(backend, c, text);
        },
      },
    ],
    fresh,
  );
  const one = summarize(turnTimes.get("one")!);
  const three = summarize(turnTimes.get("three in one batch")!);
  const sequential = summarize(turnTimes.get("three one after another")!);

  log("breakdown: label scoring alone per classifier (prompt already evaluated)");
  const labelTimes = new Map(names.map((name) => [name, [] as number[]]));
  for (let round = 0; round < turnRounds; round++) {
    for (let slot = 0; slot < turn.length; slot++) {
      const i = (round + slot) % turn.length;
      const text = fresh(round, slot);
      await classify(backend, turn[i]!, text);
      const start = performance.now();
      await classify(backend, turn[i]!, text);
      labelTimes.get(names[i]!)!.push(performance.now() - start);
    }
  }
  const labelMs = Object.fromEntries([...labelTimes].map(([name, ms]) => [name, p50(ms)]));
  const prefillTokens = alone.map((r) => r.evaluatedTokens);
  const prefillMsPerToken = p50(alone.map((r) => r.timings!.forwardMs / r.evaluatedTokens));
  const batchedTokens = batched.map((rs) => rs.reduce((sum, r) => sum + r.evaluatedTokens, 0));

  log(`labels: K = ${labelCounts.join(", ")}, one-token and multi-token, lanes and one path after another`);
  const reference = await engine(0);
  await reference.warmUp([intentPrefix]);
  const families = { "one-token": oneTokenLabels, "2–4-token": wordLabels };
  const labelConditions: Condition[] = [
    ...Object.entries(families).flatMap(([family, pool]) =>
      labelCounts.map((k) => {
        const classifier = { prefix: intentPrefix, labels: pool.slice(0, k) };
        return { name: `${family} K=${k}`, run: (text: string) => classify(backend, classifier, text) };
      }),
    ),
    ...labelCounts.map((k) => {
      const classifier = { prefix: intentPrefix, labels: wordLabels.slice(0, k) };
      return {
        name: `paths one after another K=${k}`,
        run: (text: string) => classify(reference, classifier, text),
      };
    }),
  ];
  const labelTexts = picked.slice(0, options.quick ? 4 : 12);
  for (const text of labelTexts) {
    await classify(backend, { prefix: intentPrefix, labels: wordLabels }, text);
    await classify(reference, { prefix: intentPrefix, labels: wordLabels }, text);
  }
  const lanesBefore = backend.labelLaneStats;
  const kTimes = await rotated(labelTexts.length, labelConditions, (round) => labelTexts[round]!);
  const kMs = Object.fromEntries([...kTimes].map(([name, ms]) => [name, p50(ms)]));
  const lanes = backend.labelLaneStats;
  await reference.dispose();
  await backend.dispose();

  const ratio = three.p50 / one.p50;
  const kRow = (prefix: string) =>
    labelCounts.map((k) => `K=${k}: ${kMs[`${prefix} K=${k}`]}`).join(", ") + " ms";
  const rows: TableRow[] = [
    {
      section: "classifiers",
      metric: "turn: 1 classifier / 3 in one batch / 3 one after another (p50)",
      value: `${roundTo(one.p50, 0)} / ${roundTo(three.p50, 0)} / ${roundTo(sequential.p50, 0)} ms`,
      note: `sentiment; + moderation, qa-check; ${turnRounds} rounds, each run a fresh 30–40-token input`,
    },
    {
      section: "classifiers",
      metric: "turn: 3 classifiers ÷ 1 (p50, same run)",
      value: `${roundTo(ratio, 2)}×`,
      note: `one after another: ${roundTo(sequential.p50 / one.p50, 2)}×; target ≤ 1.6×`,
    },
    {
      section: "classifiers",
      metric: "turn breakdown: input prefill, 1 input / 3 in one batch (p50)",
      value: `${p50(prefillTokens)} tokens at ${prefillMsPerToken} ms/token / ${p50(batchedTokens)} tokens`,
      note: "the system prompts are restored, each input is evaluated after its own system prompt",
    },
    {
      section: "classifiers",
      metric: "turn breakdown: label scoring alone, sentiment / moderation / qa-check (p50)",
      value: `${names.map((n) => labelMs[n]).join(" / ")} ms`,
      note: "the same request again: its prompt is in the sequence, only the labels are scored",
    },
    {
      section: "classifiers",
      metric: "one classification by label count, one-token labels (p50)",
      value: kRow("one-token"),
      note: `${labelTexts.length} reviews, intent's prompt evaluated: label scoring only`,
    },
    {
      section: "classifiers",
      metric: "one classification by label count, 2–4-token labels, paths in lanes (p50)",
      value: kRow("2–4-token"),
      note: `${lanes?.lanes ?? 0} lanes of ${laneTokens} tokens; ${(lanes?.lanesLent ?? 0) - (lanesBefore?.lanesLent ?? 0)} lent, ${(lanes?.refused ?? 0) - (lanesBefore?.refused ?? 0)} refused`,
    },
    {
      section: "classifiers",
      metric: "one classification by label count, 2–4-token labels, paths one after another (p50)",
      value: kRow("paths one after another"),
      note: "same run, a second engine without lanes (the scoring before lanes)",
    },
  ];
  return {
    figures: {
      source,
      turn: {
        rounds: turnRounds,
        oneP50Ms: roundTo(one.p50),
        threeBatchedP50Ms: roundTo(three.p50),
        threeSequentialP50Ms: roundTo(sequential.p50),
        oneP95Ms: roundTo(one.p95),
        threeBatchedP95Ms: roundTo(three.p95),
        ratioP50: roundTo(ratio, 3),
        sequentialRatioP50: roundTo(sequential.p50 / one.p50, 3),
        prefillTokensP50: p50(prefillTokens),
        prefillMsPerTokenP50: prefillMsPerToken,
        batchedPrefillTokensP50: p50(batchedTokens),
        labelScoringP50Ms: labelMs,
      },
      labelCountP50Ms: kMs,
      labelLanes: lanes,
    },
    rows,
    contention: stop(),
  };
}

runAsScript(import.meta.url, measureClassifiers);
