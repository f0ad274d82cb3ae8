/**
 * Scale benchmark of the analysis core: streams synthetic feedback (default 1,000,000 events over ~500k
 * interactions of realistic Chinese reviews with planted error patterns) through the whole pure pipeline —
 * ground truth, metrics, error mining, trigger, candidates, replay sets, report and both renderings — and prints
 * one JSON line plus a small table. Model replay is not included (it is the engine's cost, not the analysis').
 *
 *   npx tsx bench/analysis-scale.ts [--events 1000000] [--seed 7] [--json]
 *   node --expose-gc --import tsx bench/analysis-scale.ts   (heap figures then exclude garbage)
 */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import type { FeedbackEvent, InteractionWithFeedback } from "../src/analysis/core/analysis-input.js";
import { createAnalysisRun } from "../src/analysis/core/analyze-feedback.js";
import { buildCandidates } from "../src/analysis/core/candidates/build-candidates.js";
import { buildReplaySets } from "../src/analysis/core/replay-sets.js";
import { buildReport } from "../src/analysis/core/report/build-report.js";
import { renderReportHtml } from "../src/analysis/core/report/render-html.js";
import { renderReportMarkdown } from "../src/analysis/core/report/render-markdown.js";
import type { RandomSource } from "../src/statistics/seeded-random.js";
import { createSeededRandom } from "../src/statistics/seeded-random.js";

const positiveClauses = [
  "房间很干净",
  "床很舒服",
  "前台服务热情",
  "早餐很丰富",
  "位置很方便",
  "隔音效果不错",
  "性价比很高",
  "装修很新",
  "送餐很快",
  "味道很好",
  "分量很足",
  "包装很精致",
  "菜很新鲜",
  "米饭很香",
  "质量很好",
  "物流很快",
  "做工精致",
  "和描述一致",
  "客服很耐心",
  "环境优雅",
  "服务员很贴心",
  "停车方便",
  "价格实惠",
  "口味正宗",
];
const negativeClauses = [
  "房间有异味",
  "隔音太差",
  "前台态度冷淡",
  "早餐种类太少",
  "空调坏了",
  "热水要等很久",
  "送餐太慢",
  "饭菜都凉了",
  "味道太咸",
  "分量太少",
  "包装破了",
  "质量很差",
  "物流太慢",
  "做工粗糙",
  "客服不理人",
  "尺码不对",
  "卫生间很脏",
  "等了一个多小时",
  "米饭夹生",
  "汤洒了一半",
  "价格太贵",
  "设施陈旧",
  "床单有污渍",
  "送错了地址",
];
const subjects = [
  "这家酒店",
  "这家店",
  "这次",
  "总体来说",
  "菜品",
  "服务",
  "房间",
  "味道",
  "环境",
  "东西",
  "",
];
const lukewarm = ["还行", "还行吧", "一般般", "凑合", "马马虎虎"];
const praiseWords = ["好", "满意", "干净", "方便", "热情", "新鲜"];
const positiveEndings = ["", "。", "！", "，下次还来", "，推荐", "，好评", "，五星"];
const negativeEndings = ["", "。", "！", "，不会再来了", "，差评", "，失望", "，后悔"];
// A long tail of rare product / dish names (two random Han characters each) exercises the bounded term counters.
const rareChars =
  "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥金木水火土日月星辰山川河海江湖风云雷电松竹梅兰菊桃李杏梨枣柿橘柚橙莓葡萄瓜豆麦稻粟黍稷麻棉丝绸缎锦绣罗纱绢帛琴棋书画诗词歌赋龙凤麟龟虎豹熊狼鹰鹤雁燕莺鹊鸦鸥鹭".split(
    "",
  );

type Kind = "positive" | "negative" | "lukewarm" | "contrast" | "sarcasm" | "negation";

/** One synthetic review: its text, the true label and what the (imperfect) model said. */
function syntheticReview(random: RandomSource): { text: string; gold: string; predicted: string } {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const roll = random();
  const kind: Kind =
    roll < 0.36
      ? "positive"
      : roll < 0.72
        ? "negative"
        : roll < 0.82
          ? "lukewarm"
          : roll < 0.9
            ? "contrast"
            : roll < 0.95
              ? "sarcasm"
              : "negation";
  let text: string;
  let gold: string;
  let errorRate: number;
  switch (kind) {
    case "positive":
      text = `${pick(subjects)}${pick(positiveClauses)}，${pick(positiveClauses)}${random() < 0.4 ? `，${pick(positiveClauses)}` : ""}${pick(positiveEndings)}`;
      gold = "正面";
      errorRate = 0.05;
      break;
    case "negative":
      text = `${pick(subjects)}${pick(negativeClauses)}，${pick(negativeClauses)}${random() < 0.4 ? `，${pick(negativeClauses)}` : ""}${pick(negativeEndings)}`;
      gold = "负面";
      errorRate = 0.06;
      break;
    case "lukewarm":
      text = `${pick(subjects)}${pick(lukewarm)}，${pick(negativeClauses)}${pick(negativeEndings)}`;
      gold = "负面";
      errorRate = 0.75;
      break;
    case "contrast":
      text = `虽然${pick(positiveClauses)}，但是${pick(negativeClauses)}${pick(negativeEndings)}`;
      gold = "负面";
      errorRate = 0.55;
      break;
    case "sarcasm":
      text = `呵呵，${pick(subjects)}真是“${pick(praiseWords)}”，${pick(negativeClauses)}`;
      gold = "负面";
      errorRate = 0.8;
      break;
    default:
      text = `${pick(subjects)}不太${pick(praiseWords)}，${pick(negativeClauses)}`;
      gold = "负面";
      errorRate = 0.45;
  }
  if (random() < 0.3) text += `，点的${pick(rareChars)}${pick(rareChars)}套餐`;
  const predicted = random() < errorRate ? (gold === "正面" ? "负面" : "正面") : gold;
  return { text, gold, predicted };
}

/** Streams interactions until `targetEvents` feedback events have been produced. */
export function* syntheticFeedback(targetEvents: number, seed: number): Generator<InteractionWithFeedback> {
  const random = createSeededRandom(seed);
  const start = Date.UTC(2025, 4, 1);
  const span = 30 * 86_400_000;
  const expectedInteractions = targetEvents / 2;
  let events = 0;
  let eventId = 0;
  let index = 0;
  while (events < targetEvents) {
    const createdAt = start + Math.floor((index / expectedInteractions) * span);
    const id = `i${index}`;
    index += 1;
    const list: FeedbackEvent[] = [];
    const push = (event: Omit<FeedbackEvent, "id" | "interactionId" | "createdAt">) => {
      if (events >= targetEvents) return;
      eventId += 1;
      events += 1;
      list.push({
        ...event,
        id: eventId,
        interactionId: id,
        createdAt: createdAt + list.length * 1000,
      } as FeedbackEvent);
    };
    if (random() < 0.8) {
      const review = syntheticReview(random);
      const version = createdAt > start + span * (2 / 3) && random() < 0.1 ? "sentiment@v2" : "sentiment@v1";
      const labelled = random() < 0.6;
      if (labelled) {
        const wrong = review.predicted !== review.gold;
        if (!wrong) push({ type: "label_confirm", payload: { correct: true } });
        else if (random() < 0.3) push({ type: "label_confirm", payload: { correct: false } });
        else push({ type: "label_correct", payload: { label: review.gold, reasons: ["other"] } });
        if (random() < 0.01) push({ type: "label_correct", payload: { label: review.gold } });
      }
      if (random() < 0.9) push({ type: "dwell", payload: { ms: Math.floor(random() * 20_000) } });
      // Users who scroll back produce a second dwell.
      if (random() < 0.25) push({ type: "dwell", payload: { ms: Math.floor(random() * 20_000) } });
      if (random() < 0.15) push({ type: "exit", payload: {} });
      if (random() < 0.1) push({ type: "copy", payload: {} });
      yield {
        interaction: {
          id,
          task: "sentiment",
          promptVersionId: version,
          input: review.text,
          predictedLabel: review.predicted,
          confidence: 0.5 + random() / 2,
          createdAt,
          sessionHash: null,
        },
        events: list,
      };
    } else {
      push({ type: "dwell", payload: { ms: Math.floor(random() * 60_000) } });
      if (random() < 0.35) push({ type: "rating", payload: { score: 1 + Math.floor(random() * 5) } });
      if (random() < 0.4) push({ type: "follow_up", payload: { afterMs: Math.floor(random() * 30_000) } });
      if (random() < 0.12) push({ type: "exit", payload: {} });
      if (random() < 0.08) push({ type: "copy", payload: {} });
      if (random() < 0.03) push({ type: "reply_edit", payload: { text: "改一下语气" } });
      yield {
        interaction: {
          id,
          task: "chat",
          promptVersionId: "chat@v1",
          input: "今天天气怎么样？",
          predictedLabel: null,
          confidence: null,
          createdAt,
          sessionHash: null,
        },
        events: list,
      };
    }
  }
}

export interface AnalysisScaleResult {
  benchmark: "analysis-scale";
  events: number;
  interactions: number;
  labelled: number;
  /** Wall seconds inside the analysis core (add + finish + candidates + report + rendering). */
  analysisSeconds: number;
  /** CPU seconds (user + system, all threads) of the same: the figure that does not depend on other load. */
  analysisCpuSeconds: number;
  /** 1-minute load average when the run ended; on a 2-core machine, above 2 means wall time was shared. */
  loadAverage: number;
  eventsPerSecond: number;
  peakRssMb: number;
  peakHeapMb: number;
  /** Whether heap figures are live (garbage collected first, `node --expose-gc`) or include garbage. */
  liveHeapMeasured: boolean;
  /** Heap after about 25/50/75/100% of the stream (live heap with --expose-gc): flat means bounded. */
  heapMbAtQuarters: number[];
  topPatterns: string[];
  recommendation: string;
  withinBudget: boolean;
}

export function runAnalysisScaleBench(options: { events?: number; seed?: number } = {}): AnalysisScaleResult {
  const targetEvents = options.events ?? 1_000_000;
  const seed = options.seed ?? 7;

  const run = createAnalysisRun({
    tasks: [
      { task: "sentiment", labels: ["正面", "负面"], currentVersionId: "sentiment@v1" },
      { task: "chat" },
    ],
    sinceEventId: Math.floor(targetEvents * 0.9),
  });
  // The stream is generated in chunks that are then analysed, so the analysis can be timed on its own (wall and
  // CPU) without per-item timer calls; a chunk is small, so memory stays bounded.
  const chunkSize = 25_000;
  let analysisNs = 0n;
  let analysisCpuUs = 0;
  let interactions = 0;
  let generated = 0;
  let peakHeap = 0;
  const quarters: number[] = [];
  const quarter = Math.round(targetEvents / 2 / 4);
  const stream = syntheticFeedback(targetEvents, seed);
  for (;;) {
    const chunk: InteractionWithFeedback[] = [];
    for (let next = stream.next(); ; next = stream.next()) {
      if (next.done === true) break;
      chunk.push(next.value);
      if (chunk.length === chunkSize) break;
    }
    if (chunk.length === 0) break;
    const cpuBefore = process.cpuUsage();
    const before = process.hrtime.bigint();
    for (const item of chunk) run.add(item);
    analysisNs += process.hrtime.bigint() - before;
    const cpu = process.cpuUsage(cpuBefore);
    analysisCpuUs += cpu.user + cpu.system;
    for (const item of chunk) generated += item.events.length;
    const previous = interactions;
    interactions += chunk.length;
    const heap = liveHeap();
    peakHeap = Math.max(peakHeap, heap);
    if (Math.floor(interactions / quarter) > Math.floor(previous / quarter) && quarters.length < 3) {
      quarters.push(heap / 2 ** 20);
    }
  }
  const cpuBefore = process.cpuUsage();
  const finishStart = process.hrtime.bigint();
  const analysis = run.finish();
  const sentiment = analysis.tasks.find((task) => task.task === "sentiment")!;
  const current = {
    id: "sentiment@v1",
    systemPrompt: "你是一个冷酷的情感分析师。判断用户输入的情感倾向，输出只能是'正面'或'负面'。",
  };
  const built = buildCandidates(sentiment, current);
  const sets = buildReplaySets(sentiment);
  const report = buildReport({
    analysis,
    generatedAt: Date.UTC(2025, 5, 1),
    tasks: { sentiment: { candidates: built } },
  });
  const markdown = renderReportMarkdown(report);
  const html = renderReportHtml(report);
  analysisNs += process.hrtime.bigint() - finishStart;
  const cpu = process.cpuUsage(cpuBefore);
  analysisCpuUs += cpu.user + cpu.system;
  const heapNow = liveHeap();
  peakHeap = Math.max(peakHeap, heapNow);
  quarters.push(heapNow / 2 ** 20);

  const analysisSeconds = Number(analysisNs) / 1e9;
  const taskReport = report.tasks.find((task) => task.task === "sentiment")!;
  if (markdown.length === 0 || html.length === 0 || sets.inputs.length === 0) throw new Error("empty output");
  return {
    benchmark: "analysis-scale",
    events: generated,
    interactions: analysis.interactions,
    labelled: sentiment.versions.reduce((sum, row) => sum + row.labelled, 0),
    analysisSeconds: round(analysisSeconds, 2),
    analysisCpuSeconds: round(analysisCpuUs / 1e6, 2),
    loadAverage: round(loadavg()[0]!, 2),
    eventsPerSecond: Math.round(generated / analysisSeconds),
    peakRssMb: round(process.resourceUsage().maxRSS / 1024, 1),
    peakHeapMb: round(peakHeap / 2 ** 20, 1),
    liveHeapMeasured: collect !== undefined,
    heapMbAtQuarters: quarters.map((value) => round(value, 1)),
    topPatterns: (taskReport.mining?.patterns ?? [])
      .slice(0, 8)
      .map(
        (p) =>
          `${p.title} z=${p.zScore.toFixed(1)} ${p.dominantDirection?.predicted}→${p.dominantDirection?.gold}`,
      ),
    recommendation: `${taskReport.trigger.decision}: ${taskReport.trigger.reason.en}; candidates ${built.candidates.map((c) => c.strategy).join(", ")}`,
    withinBudget: Math.min(analysisSeconds, analysisCpuUs / 1e6) <= 10,
  };
}

const collect = (globalThis as { gc?: () => void }).gc;

/** Heap in use; with `node --expose-gc` garbage is collected first (outside the timed sections), so it is live. */
function liveHeap(): number {
  collect?.();
  return process.memoryUsage().heapUsed;
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

function main(): void {
  const { values } = parseArgs({
    options: {
      events: { type: "string", default: "1000000" },
      seed: { type: "string", default: "7" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log("usage: npx tsx bench/analysis-scale.ts [--events N] [--seed S] [--json]");
    return;
  }
  const result = runAnalysisScaleBench({ events: Number(values.events), seed: Number(values.seed) });
  console.log(JSON.stringify(result));
  if (values.json) return;
  console.table({
    events: result.events,
    interactions: result.interactions,
    "labelled interactions": result.labelled,
    "analysis seconds": result.analysisSeconds,
    "events / s": result.eventsPerSecond,
    "analysis CPU seconds": result.analysisCpuSeconds,
    "load average (1 min)": result.loadAverage,
    "peak RSS MB": result.peakRssMb,
    "peak heap MB": result.peakHeapMb,
    "heap MB at 25/50/75/100%": result.heapMbAtQuarters.join(" / "),
    "within 10 s": result.withinBudget,
  });
  console.log("top patterns:", result.topPatterns.join(" | "));
  console.log("trigger:", result.recommendation);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
