/**
 * `npm run bench`: every performance figure of the service in one run, on this machine. Generates the Qwen1.5-0.5B-
 * shaped Q8_0 and F32 models once (cached in .cache/models), runs each section in its own process, prints a table
 * and the targets, then ONE JSON line (also written to .cache/bench/last.json). Progress goes to stderr.
 *
 *   npm run bench -- [--quick] [--only engine,http] [--dataset data.csv] [--build-llama-bench]
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { getLlama, LlamaLogLevel } from "node-llama-cpp";
import { createQwenShapedGguf } from "../test/support/gguf/qwen-shaped.js";
import { decodeBytesPerToken } from "./lib/decode-bytes-per-token.js";
import { evaluateTargets, type TargetInputs } from "./lib/evaluate-targets.js";
import { roundTo } from "./lib/percentiles.js";
import { renderTable, type TableRow } from "./lib/render-table.js";
import {
  progress,
  runJsonScript,
  runSectionProcess,
  type SectionOptions,
  type SectionResult,
} from "./lib/section-protocol.js";

const cacheDir = fileURLToPath(new URL("../.cache/bench/", import.meta.url));

/** Section name → what runs it; each runs in a fresh process. */
const sections = {
  bandwidth: { file: "./sections/bandwidth.ts", about: "memory-read bandwidth (g++-compiled reader)" },
  engine: { file: "./sections/engine.ts", about: "load, RSS, chat TTFT and decode (service path)" },
  "adapter-contexts": {
    file: "./sections/adapter-contexts.ts",
    about: "RSS each LoRA adapter context adds (docs/lora.md)",
  },
  sentiment: {
    file: "./sections/sentiment-latency.ts",
    about: "sentiment latency: fast path vs write-up style (F32), interleaved",
  },
  breakdown: { file: "./sections/decode-breakdown.ts", about: "prefill; where a decoded token's ms go" },
  http: { file: "./sections/http-throughput.ts", about: "classifications/s over HTTP with 1, 4, 8 clients" },
  overload: {
    file: "./sections/overload.ts",
    about: "32 concurrent chats: refusals (503), TTFT, sentiment p95 meanwhile; bounded vs unbounded queue",
  },
  classifiers: {
    file: "./sections/task-classifiers.ts",
    about: "the turn's classifiers (1 vs 3 in one batch) and cost per label count",
  },
  "few-shot-retrieval": {
    file: "./sections/few-shot-retrieval.ts",
    about: "few-shot memory: BM25 retrieval per request, pools of 300 to 10k",
  },
  "rate-limits": {
    file: "./sections/rate-limits.ts",
    about: "what sharing the rate limits on PostgreSQL costs a request (needs PostgreSQL installed)",
  },
  "llama-bench": {
    file: "./sections/llama-bench-reference.ts",
    about: "optional llama.cpp llama-bench reference",
  },
  "llama-server": {
    file: "./sections/llama-server-comparison.ts",
    about: "embedded engine vs llama-server alone vs promptloop → llama-server (npm run build:llama-server)",
  },
  "analysis-storage": {
    file: "./sections/analysis-storage.ts",
    about:
      "the analysis job on 1M feedback events (100k with --quick): PostgreSQL vs SQLite, seconds and heap",
  },
  "analysis-scale": { file: "./analysis-scale.ts", about: "analysis core at scale (other team's bench)" },
  "rollout-simulation": {
    file: "./rollout-simulation.ts",
    about: "rollout decisions by simulation (other team's)",
  },
} as const;
type SectionName = keyof typeof sections;
const externalArgs: Partial<Record<SectionName, { full: string[]; quick: string[] }>> = {
  "analysis-scale": { full: [], quick: ["--events", "100000"] },
  "rollout-simulation": { full: ["--runs", "200"], quick: ["--runs", "50"] },
};

const usage = `usage: npm run bench -- [options]

  --quick               fewer repetitions and texts (a few minutes instead of ~10)
  --only <a,b,...>      run only these sections: ${Object.keys(sections).join(", ")}
  --dataset <csv>       review texts from a text,label CSV (e.g. ../shared/data/chnsenticorp_htl_all/data.csv);
                        built-in sample reviews otherwise
  --threads <n>         engine threads (default: the machine's cores, like the service)
  --build-llama-bench   build llama.cpp's llama-bench from node-llama-cpp's bundled source if missing (~5–8 min)
  --out <file>          where to write the JSON (default .cache/bench/last.json)
  --help                this text

Sections:
${Object.entries(sections)
  .map(([name, { about }]) => `  ${name.padEnd(20)}${about}`)
  .join("\n")}`;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      dataset: { type: "string" },
      threads: { type: "string" },
      "build-llama-bench": { type: "boolean", default: false },
      out: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const only = values.only?.split(",").map((s) => s.trim()) ?? Object.keys(sections);
  const unknown = only.filter((name) => !(name in sections));
  if (unknown.length > 0) throw new Error(`Unknown section(s): ${unknown.join(", ")}\n\n${usage}`);
  return {
    help: values.help,
    quick: values.quick,
    only: only as SectionName[],
    dataset: values.dataset ? path.resolve(values.dataset) : undefined,
    threads: values.threads ? Number(values.threads) : os.availableParallelism(),
    buildLlamaBench: values["build-llama-bench"],
    out: path.resolve(values.out ?? path.join(cacheDir, "last.json")),
  };
}

async function ensureModel(type: "q8_0" | "f32"): Promise<string> {
  let lastShown = -1;
  return createQwenShapedGguf({
    type,
    onProgress: (written, total) => {
      const percent = Math.floor((written / total) * 10) * 10;
      if (percent !== lastShown) progress("models", `writing the ${type} model: ${percent}%`);
      lastShown = percent;
    },
  });
}

const figure = (result: SectionResult | undefined, ...keys: string[]): number | undefined => {
  let value: unknown = result?.figures;
  for (const key of keys) value = (value as Record<string, unknown> | undefined)?.[key];
  return typeof value === "number" ? value : undefined;
};

async function main(): Promise<void> {
  const options = parseOptions();
  if (options.help) {
    console.log(usage);
    return;
  }
  const startedAt = new Date();
  const needsF32 = options.only.includes("sentiment");
  const modelFree: readonly SectionName[] = [
    "bandwidth",
    "few-shot-retrieval",
    "analysis-storage",
    "rate-limits",
  ];
  const needsModels = options.only.some((name) => !(name in externalArgs) && !modelFree.includes(name));
  progress(
    "models",
    "making sure the generated Qwen1.5-0.5B-shaped models exist (written once, then cached)",
  );
  const models = {
    q8_0: needsModels ? await ensureModel("q8_0") : "",
    f32: needsF32 ? await ensureModel("f32") : "",
  };
  const sectionOptions: SectionOptions = {
    quick: options.quick,
    threads: options.threads,
    dataset: options.dataset,
    models,
    cacheDir,
    buildLlamaBench: options.buildLlamaBench,
  };

  const results: Partial<Record<SectionName, SectionResult>> = {};
  const external: Record<string, unknown> = {};
  for (const name of options.only) {
    const started = performance.now();
    progress(name, "starting");
    const file = new URL(sections[name].file, import.meta.url).href;
    const args = externalArgs[name];
    if (args) {
      if (!(await fs.stat(fileURLToPath(file)).catch(() => undefined))) continue;
      external[name] = await runJsonScript(file, options.quick ? args.quick : args.full).catch(
        (error: unknown) => ({
          error: (error as Error).message,
        }),
      );
    } else {
      results[name] = await runSectionProcess(file, sectionOptions);
    }
    progress(name, `done in ${roundTo((performance.now() - started) / 1000, 0)} s`);
  }

  // Decode as a share of what memory bandwidth allows: each token reads every weight except the embedding table.
  const derived: Record<string, unknown> = {};
  const serviceDecode = figure(results.engine, "chat", "decodeTokPerS", "p50");
  const rawDecode = figure(results.breakdown, "q8_0", "rawTokPerS");
  const bandwidth = figure(results.bandwidth, "readGBps");
  const idleBandwidth = figure(results.bandwidth, "readGBpsPerCpuSecond");
  if (models.q8_0 && bandwidth !== undefined) {
    const { bytesPerToken } = await decodeBytesPerToken(models.q8_0);
    const ceiling = (gbps: number) => (gbps * 1e9) / bytesPerToken;
    Object.assign(derived, {
      q8_0BytesReadPerToken: bytesPerToken,
      decodeCeilingTokPerS: roundTo(ceiling(bandwidth), 1),
      decodeCeilingIdleTokPerS: idleBandwidth === undefined ? undefined : roundTo(ceiling(idleBandwidth), 1),
      serviceDecodeShareOfCeiling:
        serviceDecode === undefined ? undefined : roundTo(serviceDecode / ceiling(bandwidth), 2),
      rawDecodeShareOfCeiling:
        rawDecode === undefined ? undefined : roundTo(rawDecode / ceiling(bandwidth), 2),
    });
  }

  const targetInputs: TargetInputs = {
    sentimentP50Ms: figure(results.sentiment, "fast", "p50Ms"),
    baselineP50Ms: figure(results.sentiment, "writeUp", "p50Ms"),
    sentimentFloorMs: figure(results["llama-bench"], "sentimentFloorMs"),
    serviceDecodeTokPerS: serviceDecode,
    llamaBenchTgTokPerS: figure(results["llama-bench"], "tg64TokPerS"),
    serviceShareOfLlamaBench: figure(results.breakdown, "serviceShareOfLlamaBench"),
    ttft50TokenMs: figure(results.engine, "chat", "ttft50TokenMs", "p50"),
    http8PerSecond: figure(results.http, "clients8", "perSecond"),
    http8P95Ms: figure(results.http, "clients8", "p95Ms"),
    rssMiB: figure(results.engine, "rssMiB"),
    overloadSentimentP95Ms: figure(
      results.overload,
      "bounded",
      "sentimentDuringBurst",
      "served",
      "endMs",
      "p95",
    ),
    overloadSentimentNotServed: figure(results.overload, "bounded", "sentimentDuringBurst", "notServed"),
    overloadRefusalP95Ms: figure(results.overload, "bounded", "refusalMs", "p95"),
    overloadUnboundedSentimentP95Ms: figure(
      results.overload,
      "unbounded",
      "sentimentDuringBurst",
      "served",
      "endMs",
      "p95",
    ),
    turnThreeP50Ms: figure(results.classifiers, "turn", "threeBatchedP50Ms"),
    turnOneP50Ms: figure(results.classifiers, "turn", "oneP50Ms"),
    turnSequentialP50Ms: figure(results.classifiers, "turn", "threeSequentialP50Ms"),
    analysisEvents: figure(results["analysis-storage"], "events"),
    analysisSqliteSeconds: figure(results["analysis-storage"], "sqlite", "jobSeconds"),
    analysisPostgresSeconds: figure(results["analysis-storage"], "postgres", "jobSeconds"),
    analysisSqliteHeapMb: figure(results["analysis-storage"], "sqlite", "peakLiveHeapMb"),
    analysisPostgresHeapMb: figure(results["analysis-storage"], "postgres", "peakLiveHeapMb"),
  };
  const targets = evaluateTargets(targetInputs);

  const rows: TableRow[] = [];
  for (const [name, result] of Object.entries(results)) {
    if (result.skipped) rows.push({ section: name, metric: "skipped", value: "—", note: result.skipped });
    rows.push(...result.rows);
    const c = result.contention;
    if (c) {
      rows.push({
        section: name,
        metric: "noise: other processes' CPU during the section",
        value: `${c.otherCores} of ${c.cores} cores`,
        note: `load average ${c.loadAverage}`,
      });
    }
  }
  if (derived.decodeCeilingTokPerS !== undefined) {
    rows.push({
      section: "bandwidth",
      metric: "Q8_0 decode ceiling (bandwidth / bytes per token)",
      value: `${String(derived.decodeCeilingTokPerS)} tok/s`,
      note: `service decode = ${String(derived.serviceDecodeShareOfCeiling ?? "—")} of it; idle-machine ceiling ${String(derived.decodeCeilingIdleTokPerS ?? "—")} tok/s`,
    });
  }
  for (const [name, value] of Object.entries(external)) {
    rows.push({
      section: name,
      metric: "result (its own JSON)",
      value: "see JSON",
      note: JSON.stringify(value).slice(0, 80),
    });
  }

  // Which llama.cpp binary the sections loaded: node-llama-cpp's prebuilt one, or a local build (which it prefers).
  const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
  const engineBinary = {
    buildType: llama.buildType,
    openMp: llama.systemInfo.includes("OPENMP = 1"),
    cpuFeatures: llama.systemInfo.trim(),
  };
  await llama.dispose();

  const json = {
    bench: "promptloop",
    startedAt: startedAt.toISOString(),
    seconds: roundTo((Date.now() - startedAt.getTime()) / 1000, 0),
    machine: {
      cpu: os.cpus()[0]?.model,
      cores: os.availableParallelism(),
      memoryGiB: roundTo(os.totalmem() / 2 ** 30, 1),
      node: process.version,
      loadAverageAtEnd: os.loadavg().map((l) => roundTo(l, 2)),
      engineBinary,
    },
    options: {
      quick: options.quick,
      threads: options.threads,
      dataset: options.dataset ?? null,
      only: options.only,
    },
    models,
    sections: results,
    derived,
    external,
    targets,
  };
  console.log(renderTable(rows));
  console.log();
  console.log(
    renderTable(
      targets.map((t) => ({
        section: t.met === null ? "not measured" : t.met ? "MET" : "MISSED",
        metric: t.target,
        value: t.figure,
        note: t.baseline,
      })),
    ),
  );
  console.log(JSON.stringify(json));
  await fs.mkdir(path.dirname(options.out), { recursive: true });
  await fs.writeFile(options.out, `${JSON.stringify(json)}\n`);
  await fs.mkdir(cacheDir, { recursive: true });
  await fs.writeFile(
    path.join(cacheDir, `run-${startedAt.toISOString().replace(/[:.]/g, "-")}.json`),
    `${JSON.stringify(json)}\n`,
  );
  progress("done", `JSON written to ${options.out}`);
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
