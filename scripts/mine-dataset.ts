/**
 * Replays a labelled dataset as user feedback on a simple deterministic predictor's output and shows what the
 * error miner finds: every row becomes an interaction the predictor labelled, followed by 👍 when it was right or
 * a correction to the dataset's label when it was wrong. Then the analysis core runs as it would on live feedback.
 *
 *   npx tsx scripts/mine-dataset.ts /path/to/data.csv [--predictor lexicon|always-positive|always-negative]
 *
 * The CSV is UTF-8 with a header `text,label` (label 1 = 正面, 0 = 负面; quoted fields, "" escapes).
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { parseCsv } from "../bench/lib/csv-rows.js";
import type { InteractionWithFeedback } from "../src/analysis/core/analysis-input.js";
import { createAnalysisRun } from "../src/analysis/core/analyze-feedback.js";
import { buildCandidates } from "../src/analysis/core/candidates/build-candidates.js";
import { directionText } from "../src/analysis/core/candidates/describe-pattern.js";
import { createSeededRandom } from "../src/statistics/seeded-random.js";
import {
  lexiconAlternation,
  negativeWords,
  negators,
  positiveWords,
} from "../src/analysis/core/sentiment-lexicon.js";

const usage = `Usage: npx tsx scripts/mine-dataset.ts <data.csv> [options]

Replays a labelled sentiment dataset (CSV with header text,label; 1 = 正面, 0 = 负面) as user corrections of a
deterministic predictor's output, runs the analysis core and prints the top error patterns.

Options:
  --predictor <name>   lexicon (default): counts lexicon words, flipping negated ones; ties → 正面
                       always-positive | always-negative: a constant predictor
  --top <n>            patterns to print (default 15)
  --min-support <n>    fewest labelled inputs containing a pattern (default 20)
  --examples <n>       examples printed per pattern (default 2)
  --seed <n>           seed of the time order and of the samples (default 1)
  --limit <n>          use only the first n rows
  --json               print the mining result as JSON instead of tables
  -h, --help           show this help`;

const labels = ["正面", "负面"] as const;

type Predictor = (text: string) => string;

const positiveRegex = new RegExp(lexiconAlternation(positiveWords), "g");
const negativeRegex = new RegExp(lexiconAlternation(negativeWords), "g");
const negatorRegex = new RegExp(`(?:${negators.join("|")})[很太那么这么是]?$`);

/** A lexicon predictor: each positive or negative lexicon hit votes, a negator right before it flips the vote. */
export const lexiconPredictor: Predictor = (text) => {
  let score = 0;
  const vote = (regex: RegExp, sign: number) => {
    for (const match of text.matchAll(regex)) {
      const before = text.slice(Math.max(0, match.index - 3), match.index);
      score += negatorRegex.test(before) ? -sign : sign;
    }
  };
  vote(positiveRegex, 1);
  vote(negativeRegex, -1);
  return score >= 0 ? "正面" : "负面";
};

const predictors: Record<string, Predictor> = {
  lexicon: lexiconPredictor,
  "always-positive": () => "正面",
  "always-negative": () => "负面",
};

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      predictor: { type: "string", default: "lexicon" },
      top: { type: "string", default: "15" },
      "min-support": { type: "string", default: "20" },
      examples: { type: "string", default: "2" },
      seed: { type: "string", default: "1" },
      limit: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help || positionals.length !== 1) {
    console.log(usage);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const predictor = predictors[values.predictor];
  if (predictor === undefined) {
    console.error(`unknown predictor "${values.predictor}"; use ${Object.keys(predictors).join(", ")}`);
    process.exitCode = 2;
    return;
  }
  const [header, ...records] = parseCsv(readFileSync(positionals[0]!, "utf8"));
  const textColumn = header?.indexOf("text") ?? -1;
  const labelColumn = header?.indexOf("label") ?? -1;
  if (textColumn === -1 || labelColumn === -1) {
    console.error("the CSV needs a header with text and label columns");
    process.exitCode = 2;
    return;
  }
  const rows = records
    .filter(
      (record) => record.length > Math.max(textColumn, labelColumn) && record[textColumn]!.trim() !== "",
    )
    .slice(0, values.limit === undefined ? undefined : Number(values.limit));

  // Datasets are often sorted by label; a seeded shuffle gives the feedback a realistic time order.
  const random = createSeededRandom(Number(values.seed));
  const order = rows.map((_, index) => index);
  for (let i = order.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const start = Date.UTC(2025, 0, 1);
  const run = createAnalysisRun({
    tasks: [{ task: "sentiment", labels, currentVersionId: "sentiment@v1" }],
    seed: Number(values.seed),
    ranking: { minSupport: Number(values["min-support"]), topK: Number(values.top) },
    miner: { examplesPerPattern: Math.max(3, Number(values.examples)) },
  });
  let correct = 0;
  let eventId = 0;
  const startedAt = performance.now();
  order.forEach((rowIndex, position) => {
    const record = rows[rowIndex]!;
    const text = record[textColumn]!;
    const gold = record[labelColumn]!.trim() === "1" ? "正面" : "负面";
    const predicted = predictor(text);
    if (predicted === gold) correct += 1;
    const id = `row${rowIndex + 2}`;
    const createdAt = start + position * 60_000;
    eventId += 1;
    const item: InteractionWithFeedback = {
      interaction: {
        id,
        task: "sentiment",
        promptVersionId: "sentiment@v1",
        input: text,
        predictedLabel: predicted,
        confidence: null,
        createdAt,
        sessionHash: null,
      },
      events: [
        predicted === gold
          ? {
              id: eventId,
              interactionId: id,
              createdAt: createdAt + 5000,
              type: "label_confirm",
              payload: { correct: true },
            }
          : {
              id: eventId,
              interactionId: id,
              createdAt: createdAt + 5000,
              type: "label_correct",
              payload: { label: gold },
            },
      ],
    };
    run.add(item);
  });
  const analysis = run.finish();
  const seconds = (performance.now() - startedAt) / 1000;
  const task = analysis.tasks[0]!;
  const mining = task.mining!;
  if (values.json) {
    console.log(
      JSON.stringify(
        { rows: rows.length, predictorAccuracy: correct / rows.length, trigger: task.trigger, mining },
        null,
        2,
      ),
    );
    return;
  }
  console.log(
    `${positionals[0]}: ${rows.length} rows, predictor ${values.predictor}, accuracy ${pct(correct / rows.length)}, analysed in ${seconds.toFixed(2)} s`,
  );
  console.log(`trigger: ${task.trigger.decision} — ${task.trigger.reason.en}`);
  console.log(
    `mined ${mining.documents} inputs (${mining.errorDocuments} errors); ${mining.testedPatterns} patterns met min support ${mining.ranking.minSupport}; ` +
      `reported z ≥ ${mining.ranking.minZ.toFixed(2)} (Bonferroni, α = ${mining.ranking.familywiseAlpha})`,
  );
  console.table(
    mining.patterns.map((pattern) => ({
      pattern: pattern.title,
      kind: pattern.kind,
      support: pattern.support,
      errors: pattern.errorSupport,
      "error rate": pct(pattern.errorRate),
      lift: pattern.lift.toFixed(2),
      z: pattern.zScore.toFixed(1),
      direction: pattern.directions.map((d) => `${directionText(d.predicted, d.gold)} ${d.count}`).join(", "),
    })),
  );
  const shown = Number(values.examples);
  for (const [index, pattern] of mining.patterns.entries()) {
    const examples = pattern.examples
      .slice(0, shown)
      .map(
        (example) => `    「${clip(example.text, 60)}」 ${directionText(example.predicted, example.gold)}`,
      );
    console.log(
      `${index + 1}. ${pattern.title}${pattern.aliases.length > 0 ? ` (folded: ${pattern.aliases.slice(0, 6).join(", ")})` : ""}\n${examples.join("\n")}`,
    );
  }
  const built = buildCandidates(task, {
    id: "sentiment@v1",
    systemPrompt: "你是一个冷酷的情感分析师。判断用户输入的情感倾向，输出只能是'正面'或'负面'。",
  });
  const rules = built.candidates.find((candidate) => candidate.strategy === "rules");
  console.log(
    `\nrules candidate:\n${rules?.systemPrompt ?? `(none: ${built.skipped.find((s) => s.strategy === "rules")?.reason ?? "?"})`}`,
  );
}

function pct(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

function clip(text: string, length: number): string {
  const chars = [...text.replace(/\s+/g, " ")];
  return chars.length > length ? `${chars.slice(0, length).join("")}…` : chars.join("");
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
