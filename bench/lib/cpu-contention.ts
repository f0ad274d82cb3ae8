import fs from "node:fs";
import os from "node:os";

/** CPU used by everything else on the machine while a section ran: the noise behind its figures. */
export interface CpuContention {
  /** Average cores kept busy by other processes (0 … cores). */
  otherCores: number;
  /** Average cores this process used. */
  ownCores: number;
  cores: number;
  /** 1-minute load average at the end (runnable tasks, ours included). */
  loadAverage: number;
}

interface CpuSample {
  at: number;
  busyTicks: number;
  ownTicks: number;
}

const ticksPerSecond = 100; // USER_HZ on Linux

function sample(): CpuSample | undefined {
  try {
    const [cpu] = fs.readFileSync("/proc/stat", "utf8").split("\n");
    const fields = cpu!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal guest guest_nice: idle and iowait are not busy, and guest
    // time is already counted in user and nice.
    const busyTicks = fields
      .slice(0, 8)
      .reduce((sum, value, i) => (i === 3 || i === 4 ? sum : sum + value), 0);
    const stat = fs.readFileSync("/proc/self/stat", "utf8");
    const afterName = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime, stime, cutime, cstime are fields 14–17 of the whole line (12–15 after the name); the children's
    // share counts finished helper processes (the bandwidth reader) as this section's own work.
    const ownTicks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(afterName[i]), 0);
    return { at: performance.now(), busyTicks, ownTicks };
  } catch {
    return undefined; // Not Linux: contention is simply not reported.
  }
}

/** Starts measuring; call the returned function at the end of the section. */
export function startCpuContention(): () => CpuContention | undefined {
  const start = sample();
  return () => {
    const end = sample();
    if (!start || !end) return undefined;
    const seconds = (end.at - start.at) / 1000;
    const ownCores = (end.ownTicks - start.ownTicks) / ticksPerSecond / seconds;
    const allCores = (end.busyTicks - start.busyTicks) / ticksPerSecond / seconds;
    const round = (x: number) => Math.round(x * 100) / 100;
    return {
      otherCores: round(Math.max(0, allCores - ownCores)),
      ownCores: round(ownCores),
      cores: os.availableParallelism(),
      loadAverage: round(os.loadavg()[0]!),
    };
  };
}

/** Resident memory of this process, from /proc (MiB), or from Node's counter elsewhere. */
export function residentMiB(): { rss: number; peak: number } {
  try {
    const status = fs.readFileSync("/proc/self/status", "utf8");
    const read = (key: string) =>
      Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN) / 1024;
    return { rss: read("VmRSS"), peak: read("VmHWM") };
  } catch {
    const rss = process.memoryUsage().rss / 2 ** 20;
    return { rss, peak: rss };
  }
}
