import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { startCpuContention } from "../lib/cpu-contention.js";
import { quantile, roundTo } from "../lib/percentiles.js";
import { progress, runAsScript, type SectionOptions, type SectionResult } from "../lib/section-protocol.js";

const run = promisify(execFile);
const source = new URL("../native/read-bandwidth.cpp", import.meta.url);

/** Compiles the reader once per source change (the binary's name carries the source's mtime). */
async function buildReader(cacheDir: string): Promise<string> {
  const stat = await fs.stat(source);
  const binary = path.join(cacheDir, `read-bandwidth-${Math.round(stat.mtimeMs)}`);
  if (await fs.stat(binary).catch(() => undefined)) return binary;
  await fs.mkdir(cacheDir, { recursive: true });
  await run("g++", ["-O3", "-march=native", "-pthread", "-o", binary, source.pathname]);
  return binary;
}

/**
 * Memory-read bandwidth of this machine, measured by a small C++ reader compiled with g++ at bench time (JS cannot
 * stream memory at full speed): each of N threads sums its own slice of a 1 GiB buffer.
 */
export async function measureBandwidth(options: SectionOptions): Promise<SectionResult> {
  const stop = startCpuContention();
  let binary: string;
  try {
    progress("bandwidth", "compiling bench/native/read-bandwidth.cpp with g++");
    binary = await buildReader(options.cacheDir);
  } catch (error) {
    return { figures: {}, rows: [], skipped: `g++ unavailable: ${(error as Error).message.split("\n")[0]}` };
  }
  const figures: Record<string, unknown> = {
    method: "g++ -O3 -march=native reader, 1 GiB buffer, median of reps",
  };
  const rows = [];
  for (const threads of [1, options.threads]) {
    if (threads === 1 && options.threads === 1 && rows.length > 0) continue;
    progress("bandwidth", `reading 1 GiB with ${threads} thread(s)`);
    const { stdout } = await run(binary, [String(threads), "1024", options.quick ? "3" : "7"]);
    const { gbPerSecond, gbPerCpuSecond } = JSON.parse(stdout) as {
      gbPerSecond: number[];
      gbPerCpuSecond: number[];
    };
    const median = roundTo(quantile(gbPerSecond, 0.5), 1);
    const best = roundTo(Math.max(...gbPerSecond), 1);
    const perCpu = roundTo(quantile(gbPerCpuSecond, 0.5), 1);
    Object.assign(figures, {
      [`readGBps_${threads}thread`]: median,
      [`readGBpsBest_${threads}thread`]: best,
      [`readGBpsPerCpuSecond_${threads}thread`]: perCpu,
      [`readGBpsRuns_${threads}thread`]: gbPerSecond,
    });
    rows.push({
      section: "bandwidth",
      metric: `memory read, ${threads} thread${threads > 1 ? "s" : ""}`,
      value: `${median} GB/s`,
      note: `best ${best}; ${perCpu} per CPU-second (leaves out descheduled time)`,
    });
  }
  figures.readGBps = figures[`readGBps_${options.threads}thread`];
  figures.readGBpsBest = figures[`readGBpsBest_${options.threads}thread`];
  figures.readGBpsPerCpuSecond = figures[`readGBpsPerCpuSecond_${options.threads}thread`];
  return { figures, rows, contention: stop() };
}

runAsScript(import.meta.url, measureBandwidth);
