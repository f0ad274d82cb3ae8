/** The figures the targets are judged on, gathered from the sections of one run. */
export interface TargetInputs {
  sentimentP50Ms?: number | undefined;
  baselineP50Ms?: number | undefined;
  /** llama-bench's time for the same number of tokens at the same depth: llama.cpp's own floor. */
  sentimentFloorMs?: number | undefined;
  serviceDecodeTokPerS?: number | undefined;
  llamaBenchTgTokPerS?: number | undefined;
  /**
   * Service decode step / llama-bench's, measured in the same interleaved rounds (fairer on a busy machine than
   * two figures taken minutes apart); used instead of the ratio of the two figures when present.
   */
  serviceShareOfLlamaBench?: number | undefined;
  ttft50TokenMs?: number | undefined;
  http8PerSecond?: number | undefined;
  http8P95Ms?: number | undefined;
  rssMiB?: number | undefined;
  /** Served sentiment requests' p95 while 32 chats compete, with the default queue bounds, and with an unbounded queue. */
  overloadSentimentP95Ms?: number | undefined;
  /** Sentiment requests during that burst that were refused, ended by their deadline or failed. */
  overloadSentimentNotServed?: number | undefined;
  overloadUnboundedSentimentP95Ms?: number | undefined;
  /** How fast requests beyond the queue are refused (p95 of the 503s). */
  overloadRefusalP95Ms?: number | undefined;
  /** The all-in-one turn: three classifiers in one batch and one classification, p50, same run. */
  turnThreeP50Ms?: number | undefined;
  turnOneP50Ms?: number | undefined;
  /** The three one after another, same run: what the batch saves. */
  turnSequentialP50Ms?: number | undefined;
  /** The analysis job over the same seeded history on both databases, same run (section analysis-storage). */
  analysisEvents?: number | undefined;
  analysisSqliteSeconds?: number | undefined;
  analysisPostgresSeconds?: number | undefined;
  /** Peak live heap of the job's process (after a full GC), in MB. */
  analysisSqliteHeapMb?: number | undefined;
  analysisPostgresHeapMb?: number | undefined;
}

/** "The same bounded heap": PostgreSQL's peak live heap at most this much above SQLite's. */
const sameHeapTolerance = 1.25;

/** One target: its figure, what it is judged against, and whether it is met (null when not measured). */
export interface TargetVerdict {
  target: string;
  figure: string;
  baseline: string;
  met: boolean | null;
}

const shown = (value: number | undefined, unit: string, digits = 0) =>
  value === undefined || Number.isNaN(value) ? "not measured" : `${value.toFixed(digits)} ${unit}`;
const known = (...values: Array<number | undefined>) =>
  values.every((v) => v !== undefined && !Number.isNaN(v));

/** Pure: the targets (Q8_0, this machine's cores) judged against one run's figures. */
export function evaluateTargets(inputs: TargetInputs): TargetVerdict[] {
  const i = inputs;
  const speedup = known(i.sentimentP50Ms, i.baselineP50Ms) ? i.baselineP50Ms! / i.sentimentP50Ms! : undefined;
  const shareOfLlamaBench = known(i.serviceShareOfLlamaBench)
    ? i.serviceShareOfLlamaBench
    : known(i.serviceDecodeTokPerS, i.llamaBenchTgTokPerS)
      ? i.serviceDecodeTokPerS! / i.llamaBenchTgTokPerS!
      : undefined;
  return [
    {
      target: "sentiment p50 ≤ 150 ms (30–40-token review)",
      figure: shown(i.sentimentP50Ms, "ms"),
      baseline: known(i.sentimentFloorMs)
        ? `write-up style ${shown(i.baselineP50Ms, "ms")}; llama-bench, same tokens: ${shown(i.sentimentFloorMs, "ms")}`
        : `write-up style ${shown(i.baselineP50Ms, "ms")}`,
      met: known(i.sentimentP50Ms) ? i.sentimentP50Ms! <= 150 : null,
    },
    {
      target: "sentiment ≥ 8× faster than the write-up style",
      figure: speedup === undefined ? "not measured" : `${speedup.toFixed(1)}×`,
      baseline: `write-up style ${shown(i.baselineP50Ms, "ms")}`,
      met: speedup === undefined ? null : speedup >= 8,
    },
    {
      target: "chat decode ≥ 40 tok/s through the service",
      figure: shown(i.serviceDecodeTokPerS, "tok/s", 1),
      baseline: `llama-bench tg ${shown(i.llamaBenchTgTokPerS, "tok/s", 1)}`,
      met: known(i.serviceDecodeTokPerS) ? i.serviceDecodeTokPerS! >= 40 : null,
    },
    {
      target: "chat decode ≥ 90% of llama-bench tg",
      figure: shareOfLlamaBench === undefined ? "not measured" : `${(shareOfLlamaBench * 100).toFixed(0)}%`,
      baseline: `llama-bench tg ${shown(i.llamaBenchTgTokPerS, "tok/s", 1)}`,
      met: shareOfLlamaBench === undefined ? null : shareOfLlamaBench >= 0.9,
    },
    {
      target: "time to first token ≤ 300 ms (50-token prompt)",
      figure: shown(i.ttft50TokenMs, "ms"),
      baseline: "—",
      met: known(i.ttft50TokenMs) ? i.ttft50TokenMs! <= 300 : null,
    },
    {
      target: "≥ 6 classifications/s with 8 HTTP clients, p95 ≤ 1.5 s",
      figure: known(i.http8PerSecond, i.http8P95Ms)
        ? `${i.http8PerSecond!.toFixed(2)}/s, p95 ${i.http8P95Ms!.toFixed(0)} ms`
        : "not measured",
      baseline: "—",
      met: known(i.http8PerSecond, i.http8P95Ms) ? i.http8PerSecond! >= 6 && i.http8P95Ms! <= 1500 : null,
    },
    {
      target: "RSS ≤ 1.3 GiB (Q8_0, 4 sequences)",
      figure: known(i.rssMiB) ? `${(i.rssMiB! / 1024).toFixed(2)} GiB` : "not measured",
      baseline: "—",
      met: known(i.rssMiB) ? i.rssMiB! <= 1.3 * 1024 : null,
    },
    {
      target: "32 concurrent chats: classifications keep p95 ≤ 2 s",
      figure: known(i.overloadSentimentNotServed)
        ? `${shown(i.overloadSentimentP95Ms, "ms")} served, ${i.overloadSentimentNotServed} not served`
        : shown(i.overloadSentimentP95Ms, "ms"),
      baseline: `unbounded queue: ${shown(i.overloadUnboundedSentimentP95Ms, "ms")}`,
      // A classification refused or cut by its deadline is not kept: the target needs them all served.
      met: known(i.overloadSentimentP95Ms)
        ? i.overloadSentimentP95Ms! <= 2000 && (i.overloadSentimentNotServed ?? 0) === 0
        : null,
    },
    {
      target: "requests beyond the queue refused within 50 ms (p95)",
      figure: shown(i.overloadRefusalP95Ms, "ms"),
      baseline: "—",
      met: known(i.overloadRefusalP95Ms) ? i.overloadRefusalP95Ms! <= 50 : null,
    },
    {
      target: "a turn with 3 classifiers ≤ 1.6× one classification",
      figure: known(i.turnThreeP50Ms, i.turnOneP50Ms)
        ? `${(i.turnThreeP50Ms! / i.turnOneP50Ms!).toFixed(2)}× (${shown(i.turnThreeP50Ms, "ms")})`
        : "not measured",
      baseline: `one classification ${shown(i.turnOneP50Ms, "ms")}; three one after another ${shown(i.turnSequentialP50Ms, "ms")}`,
      met: known(i.turnThreeP50Ms, i.turnOneP50Ms) ? i.turnThreeP50Ms! <= 1.6 * i.turnOneP50Ms! : null,
    },
    analysisStorageVerdict(i),
  ];
}

/** 1M feedback events analysed on PostgreSQL in ≤ 2× the SQLite time, same run, same bounded heap; judged at 1M only. */
function analysisStorageVerdict(i: TargetInputs): TargetVerdict {
  const measured = known(
    i.analysisEvents,
    i.analysisSqliteSeconds,
    i.analysisPostgresSeconds,
    i.analysisSqliteHeapMb,
    i.analysisPostgresHeapMb,
  );
  const timeRatio = measured ? i.analysisPostgresSeconds! / i.analysisSqliteSeconds! : undefined;
  return {
    target: "1M feedback events analysed on PostgreSQL ≤ 2× SQLite, same bounded heap",
    figure: measured
      ? `${timeRatio!.toFixed(2)}× (${shown(i.analysisPostgresSeconds, "s", 1)}, ${shown(i.analysisPostgresHeapMb, "MB live heap", 1)}; ${i.analysisEvents} events)`
      : "not measured",
    baseline: `SQLite ${shown(i.analysisSqliteSeconds, "s", 1)}, ${shown(i.analysisSqliteHeapMb, "MB live heap", 1)}`,
    met:
      measured && i.analysisEvents! >= 1_000_000
        ? timeRatio! <= 2 && i.analysisPostgresHeapMb! <= sameHeapTolerance * i.analysisSqliteHeapMb!
        : null,
  };
}
