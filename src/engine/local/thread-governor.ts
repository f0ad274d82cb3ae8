import fs from "node:fs";

/** What the governor decides from: the ceiling, the machine, and how busy the other work kept the CPU. */
export interface ThreadsInput {
  /** THREADS: the most the engine may use. */
  configured: number;
  cores: number;
  /** Cores kept busy, on average over the last interval, by other processes and by this process's main thread. */
  contendingCores: number;
  /** Threads in use now, for hysteresis. */
  current: number;
}

export interface ThreadsDecision {
  threads: number;
  reason: string;
}

/**
 * Contention above which a thread is given up, and below which it is taken back. The gap keeps the count from
 * flapping when the load hovers near one threshold.
 */
const giveUpAbove = 0.35;
const takeBackBelow = 0.15;

/**
 * Pure: how many threads llama.cpp should use next. Its threads meet at a spinning barrier after every operation
 * (hundreds per token), so when anything else needs a core, one descheduled thread stalls the others for a whole
 * time slice: measured here, 2 threads on 2 busy cores took 130–600 ms per token where 1 thread took 27–36 ms.
 * So the engine uses only the cores nothing else is using, and all configured threads when the machine is quiet.
 */
export function chooseThreads({
  configured,
  cores,
  contendingCores,
  current,
}: ThreadsInput): ThreadsDecision {
  const ceiling = Math.max(1, Math.min(configured, cores));
  const threshold = current < ceiling ? takeBackBelow : giveUpAbove;
  // Every started core of contention beyond the threshold costs one thread.
  const taken = Math.max(0, Math.ceil(contendingCores - threshold));
  const threads = Math.max(1, Math.min(ceiling, cores - taken));
  const busy = contendingCores.toFixed(2);
  return {
    threads,
    reason:
      threads === ceiling
        ? `other work used ${busy} cores: all ${ceiling} threads`
        : `other work used ${busy} of ${cores} cores: ${threads} thread(s), so no thread waits on a descheduled one`,
  };
}

/** CPU time counters in clock ticks; undefined where /proc is missing (not Linux). */
export interface CpuCounters {
  /** Busy ticks of the whole machine. */
  machineBusy: number;
  /** Ticks of this process (all threads). */
  process: number;
  /** Ticks of this process's main (JavaScript) thread. */
  mainThread: number;
}

function statTicks(file: string): number {
  const stat = fs.readFileSync(file, "utf8");
  // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

/** Reads /proc: cheap (tens of microseconds), so it can run a few times a second. */
export function readCpuCounters(): CpuCounters | undefined {
  try {
    const cpu = fs
      .readFileSync("/proc/stat", "utf8")
      .split("\n", 1)[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    // user nice system idle iowait irq softirq steal guest guest_nice: idle and iowait are not busy, and guest
    // time is already counted in user and nice.
    const machineBusy = cpu
      .slice(0, 8)
      .reduce((sum, value, i) => (i === 3 || i === 4 ? sum : sum + value), 0);
    return {
      machineBusy,
      process: statTicks("/proc/self/stat"),
      mainThread: statTicks(`/proc/self/task/${process.pid}/stat`),
    };
  } catch {
    return undefined;
  }
}

/** Options for {@link startThreadGovernor}. */
export interface ThreadGovernorOptions {
  configured: number;
  cores: number;
  /** Applies a thread count; the engine uses it as the ceiling of every following batch. */
  apply: (threads: number) => void;
  intervalMs?: number;
  readCounters?: () => CpuCounters | undefined;
  /** Clock ticks per second (USER_HZ, 100 on Linux). */
  ticksPerSecond?: number;
  now?: () => number;
}

/** How the governor spent its time, for benchmarks and status pages. */
export interface ThreadGovernorStats {
  current: number;
  lastReason: string;
  switches: number;
  /** Milliseconds spent at each thread count. */
  msAtThreads: Record<number, number>;
}

export interface ThreadGovernor {
  readonly stats: ThreadGovernorStats;
  stop(): void;
}

/**
 * Re-decides the thread count every interval from /proc's CPU counters. Without /proc (not Linux) it keeps the
 * configured count.
 */
export function startThreadGovernor(options: ThreadGovernorOptions): ThreadGovernor {
  const { configured, cores, apply } = options;
  const readCounters = options.readCounters ?? readCpuCounters;
  const ticksPerSecond = options.ticksPerSecond ?? 100;
  const now = options.now ?? (() => performance.now());
  const stats: ThreadGovernorStats = {
    current: Math.max(1, Math.min(configured, cores)),
    lastReason: "configured",
    switches: 0,
    msAtThreads: {},
  };
  apply(stats.current);
  let last = readCounters();
  let lastAt = now();
  const tick = () => {
    const counters = readCounters();
    const at = now();
    stats.msAtThreads[stats.current] = (stats.msAtThreads[stats.current] ?? 0) + (at - lastAt);
    if (counters && last && at > lastAt) {
      const seconds = (at - lastAt) / 1000;
      const others = counters.machineBusy - last.machineBusy - (counters.process - last.process);
      const main = counters.mainThread - last.mainThread;
      const contendingCores = Math.max(0, (others + main) / ticksPerSecond / seconds);
      const decision = chooseThreads({ configured, cores, contendingCores, current: stats.current });
      stats.lastReason = decision.reason;
      if (decision.threads !== stats.current) {
        stats.current = decision.threads;
        stats.switches++;
        apply(decision.threads);
      }
    }
    last = counters;
    lastAt = at;
  };
  const timer = setInterval(tick, options.intervalMs ?? 250);
  timer.unref();
  return {
    stats,
    stop: () => clearInterval(timer),
  };
}
