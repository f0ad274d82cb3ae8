/**
 * Replays a labelled data set through the real engine (node-llama-cpp on a GGUF file) with one classifier task's
 * prompt, exactly as the service classifies, and prints the accuracy with its 95% Wilson interval, the confusion
 * matrix and the per-label errors. With --mine it then hands the results to the analysis core as feedback (👍 when
 * right, a correction to the gold label when wrong), as scripts/mine-dataset.ts does, and prints what it mines.
 *
 *   npx tsx scripts/evaluate-task.ts moderation ../shared/data/cold/test.csv \
 *     --label-map evaluation/cold-moderation-map.json --model model.gguf --sample 200
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { parseCsv } from "../bench/lib/csv-rows.js";
import { packageRoot } from "../src/config.js";
import { createLocalLlmBackend } from "../src/engine/local/local-llm-backend.js";
import { readPromptDirectory } from "../src/prompts/prompt-directory.js";
import { classificationPrefix } from "../src/tasks/classification-prompt.js";
import type { PromptDefinition } from "../src/tasks/prompt-definition.js";
import { createSeededRandom } from "../src/statistics/seeded-random.js";
import { mineResults, printMining } from "./evaluate-task-mining.js";
import { scoreResults, printScores, type ScoredRow } from "./evaluate-task-scores.js";

const usage = `Usage: npx tsx scripts/evaluate-task.ts <task> <data.csv> [options]

Replays a labelled CSV (header with text and label columns) through the real engine with the task's prompt and
prints accuracy (95% Wilson interval), the confusion matrix and per-label errors.

Options:
  --label-map <file>   JSON {"map": {"<csv label>": "<task label>"}} (or a plain object): maps the data set's
                       labels onto the task's; rows whose label the map leaves out are skipped and counted.
                       Without it the CSV's labels must be the task's labels.
  --model <file.gguf>  the model (default: MODEL_PATH when it names a local file)
  --prompts <dir>      where the task's prompt files are (default: PROMPTS_DIR, else the shipped prompts/)
  --version <v>        the task's version (default: the one marked active, else the highest)
  --sample <n>         evaluate a seeded sample of n rows, as even across gold labels as the data allow
  --seed <n>           seed of the sample and the feedback order (default 1)
  --sequences <n>      classifications in flight at once (default 4)
  --threads <n>        CPU threads (default 2)
  --mine               feed the results to the analysis core as feedback and print the mined patterns
  --json               print the results as JSON
  -h, --help           show this help

Figures depend on the model file. Real Qwen1.5-0.5B-Chat weights can't be downloaded on every machine; a
generated random-weight model (npx tsx test/support/gguf/generate-cli.ts --type q8_0) runs the same code path but
its accuracy is meaningless.`;

interface Row {
  text: string;
  gold: string;
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

function readLabelMap(file: string | undefined): Record<string, string> | null {
  if (file === undefined) return null;
  const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
  const map = typeof parsed === "object" && parsed !== null && "map" in parsed ? parsed.map : parsed;
  if (typeof map !== "object" || map === null) fail(`${file}: expected {"map": {...}} or an object`);
  return Object.fromEntries(Object.entries(map).map(([from, to]) => [from, String(to)]));
}

function pickDefinition(definitions: PromptDefinition[], version: string | undefined): PromptDefinition {
  if (version !== undefined) {
    const found = definitions.find((d) => d.version === version);
    if (!found)
      fail(`no version ${version}; the directory has ${definitions.map((d) => d.version).join(", ")}`);
    return found;
  }
  return [...definitions].sort((a, b) =>
    b.version.localeCompare(a.version, undefined, { numeric: true }),
  )[0]!;
}

/** A seeded sample of n rows, taking the labels in turn so that each is as equally represented as it can be. */
function sampleRows(rows: Row[], n: number, seed: number): Row[] {
  const random = createSeededRandom(seed);
  const byGold = new Map<string, Row[]>();
  for (const row of rows) byGold.set(row.gold, [...(byGold.get(row.gold) ?? []), row]);
  for (const group of byGold.values()) {
    for (let i = group.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [group[i], group[j]] = [group[j]!, group[i]!];
    }
  }
  const picked: Row[] = [];
  const groups = [...byGold.values()];
  for (let round = 0; picked.length < n && groups.some((g) => g.length > round); round += 1) {
    for (const group of groups) {
      const row = group[round];
      if (row && picked.length < n) picked.push(row);
    }
  }
  return picked;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      "label-map": { type: "string" },
      model: { type: "string" },
      prompts: { type: "string" },
      version: { type: "string" },
      sample: { type: "string" },
      seed: { type: "string", default: "1" },
      sequences: { type: "string", default: "4" },
      threads: { type: "string", default: "2" },
      mine: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return void console.log(usage);
  if (positionals.length !== 2) fail(usage);
  const [task, csvFile] = positionals as [string, string];
  const seed = Number(values.seed);
  const modelFile = values.model ?? process.env.MODEL_PATH;
  if (modelFile === undefined || !modelFile.endsWith(".gguf"))
    fail("--model <file.gguf> is needed (or MODEL_PATH naming a local .gguf file)");

  const promptsDir = values.prompts ?? process.env.PROMPTS_DIR ?? path.join(packageRoot, "prompts");
  const definitions = (await readPromptDirectory(promptsDir))
    .map((entry) => entry.definition)
    .filter((d) => d.task === task);
  if (definitions.length === 0) fail(`${promptsDir} has no task ${task}`);
  const definition = pickDefinition(definitions, values.version);
  const labels = definition.labels;
  if (definition.kind !== "classifier" || !labels)
    fail(`${task} is a generator; only classifiers are scored`);

  const labelMap = readLabelMap(values["label-map"]);
  const [header, ...records] = parseCsv(readFileSync(csvFile, "utf8"));
  const textColumn = header?.indexOf("text") ?? -1;
  const labelColumn = header?.indexOf("label") ?? -1;
  if (textColumn === -1 || labelColumn === -1) fail("the CSV needs a header with text and label columns");
  let skipped = 0;
  const rows: Row[] = [];
  for (const record of records) {
    const text = record[textColumn]?.trim();
    const raw = record[labelColumn]?.trim() ?? "";
    const gold = labelMap ? labelMap[raw] : raw;
    if (!text || gold === undefined || !labels.includes(gold)) skipped += 1;
    else rows.push({ text, gold });
  }
  if (labelMap) {
    const outside = [...new Set(Object.values(labelMap))].filter((label) => !labels.includes(label));
    if (outside.length > 0) fail(`the label map names labels ${task} doesn't have: ${outside.join(", ")}`);
  }
  const evaluated = values.sample === undefined ? rows : sampleRows(rows, Number(values.sample), seed);
  if (evaluated.length === 0) fail("no rows to evaluate (check the label map)");

  const backend = await createLocalLlmBackend({
    modelFile,
    threads: Number(values.threads),
    contextSize: 2048,
    sequences: Number(values.sequences),
  });
  const prefix = classificationPrefix(definition);
  await backend.warmUp([prefix]);
  const started = performance.now();
  const scored: ScoredRow[] = new Array(evaluated.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < evaluated.length) {
      const index = next++;
      const row = evaluated[index]!;
      const result = await backend.classify({ prefix, input: row.text, labels });
      scored[index] = { ...row, predicted: result.label, confidence: result.confidence };
      done += 1;
      if (!values.json && done % 25 === 0) process.stderr.write(`\r${done}/${evaluated.length} classified`);
    }
  };
  await Promise.all(Array.from({ length: Number(values.sequences) }, worker));
  const seconds = (performance.now() - started) / 1000;
  if (!values.json) process.stderr.write("\n");
  const modelName = backend.info.name;
  await backend.dispose();

  const scores = scoreResults(scored, labels);
  const mining = values.mine
    ? mineResults(scored, { task, version: definition.version, labels, seed })
    : null;
  const run = {
    task,
    version: `${task}@${definition.version}`,
    data: csvFile,
    model: { file: path.basename(modelFile), name: modelName },
    rows: { read: records.length, skipped, usable: rows.length, evaluated: evaluated.length },
    seconds: Number(seconds.toFixed(1)),
  };
  if (values.json) return void console.log(JSON.stringify({ ...run, ...scores, mining }, null, 2));
  console.log(
    `${task}@${definition.version} on ${csvFile}: ${evaluated.length} rows evaluated` +
      ` (${rows.length} usable, ${skipped} skipped${values.sample ? `, seeded sample ${seed}` : ""});` +
      ` model ${run.model.file}; ${seconds.toFixed(1)} s (${(evaluated.length / seconds).toFixed(1)} rows/s)`,
  );
  printScores(scores, labels);
  if (mining) printMining(mining);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
