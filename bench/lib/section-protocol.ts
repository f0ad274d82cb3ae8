import { spawn } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { CpuContention } from "./cpu-contention.js";
import type { TableRow } from "./render-table.js";

/** What every section gets from `run-all`. */
export interface SectionOptions {
  quick: boolean;
  /** Threads for the engine: the machine's cores by default, like the service. */
  threads: number;
  /** CSV of review texts (`text,label`); built-in samples when absent. */
  dataset?: string | undefined;
  /** Generated model files by precision. */
  models: { q8_0: string; f32: string };
  /** Where sections may keep build products (.cache/bench). */
  cacheDir: string;
  buildLlamaBench: boolean;
}

/** What every section returns: figures for the JSON line, rows for the table, and the CPU noise behind them. */
export interface SectionResult {
  figures: Record<string, unknown>;
  rows: TableRow[];
  contention?: CpuContention | undefined;
  /** Why the section measured nothing (e.g. an optional tool is missing). */
  skipped?: string;
}

const marker = "BENCH_SECTION_RESULT ";

/** Logs progress on stderr, so that stdout stays the table and the JSON line. */
export function progress(section: string, message: string): void {
  process.stderr.write(`[bench:${section}] ${message}\n`);
}

/**
 * Makes a section file runnable on its own (`node --import tsx bench/sections/x.ts --options '{...}'`): each
 * section runs in a fresh process, so that its memory figures and model loads do not depend on the others.
 */
export function runAsScript(
  moduleUrl: string,
  run: (options: SectionOptions) => Promise<SectionResult>,
): void {
  if (process.argv[1] === undefined || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  const index = process.argv.indexOf("--options");
  const options = JSON.parse(process.argv[index + 1] ?? "{}") as SectionOptions;
  run(options).then(
    (result) => {
      process.stdout.write(`${marker}${JSON.stringify(result)}\n`);
      // Native handles (llama.cpp threads, sockets) must not keep a finished section alive.
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}

/** Runs a section file in a child process and returns its result, or a failure row. */
export async function runSectionProcess(file: string, options: SectionOptions): Promise<SectionResult> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", fileURLToPath(file), "--options", JSON.stringify(options)],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  const code = await new Promise<number>((resolve) =>
    child.on("close", (exitCode) => resolve(exitCode ?? 1)),
  );
  const line = stdout.split("\n").find((l) => l.startsWith(marker));
  if (code !== 0 || !line) {
    return { figures: {}, rows: [], skipped: `failed (exit code ${code}); see the log above` };
  }
  return JSON.parse(line.slice(marker.length)) as SectionResult;
}

/** Runs another engineer's benchmark script (`--json` prints one JSON line) and returns that JSON. */
export async function runJsonScript(file: string, args: string[]): Promise<unknown> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(file), ...args, "--json"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  const code = await new Promise<number>((resolve) =>
    child.on("close", (exitCode) => resolve(exitCode ?? 1)),
  );
  const line = stdout
    .split("\n")
    .map((l) => l.trim())
    .find((l) => l.startsWith("{"));
  if (code !== 0 || !line) throw new Error(`${file} exited with ${code} without a JSON line`);
  return JSON.parse(line) as unknown;
}
