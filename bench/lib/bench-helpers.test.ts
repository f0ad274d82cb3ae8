import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runClientLoops } from "./client-loops.js";
import { parseCsv } from "./csv-rows.js";
import { evaluateTargets } from "./evaluate-targets.js";
import { quantile, summarize } from "./percentiles.js";
import { renderTable } from "./render-table.js";
import { outcomeKind } from "./request-outcomes.js";
import { pickTexts } from "./sentiment-texts.js";
import { describeThreadShare, msAtThreadsSince, threadShare } from "./thread-share.js";

describe("quantile", () => {
  it.each([
    { values: [5], q: 0.5, expected: 5 },
    { values: [1, 2, 3, 4], q: 0.5, expected: 2.5 },
    { values: [4, 1, 3, 2], q: 0.95, expected: 3.85 },
    { values: [10, 20], q: 0, expected: 10 },
    { values: [10, 20], q: 1, expected: 20 },
  ])("q=$q of $values is $expected", ({ values, q, expected }) => {
    expect(quantile(values, q)).toBeCloseTo(expected, 10);
  });

  it("lies between the sample's min and max and grows with q", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1 }), (values) => {
        const s = summarize(values);
        expect(s.p50).toBeGreaterThanOrEqual(s.min);
        expect(s.p95).toBeLessThanOrEqual(s.max);
        expect(s.p95).toBeGreaterThanOrEqual(s.p50);
      }),
    );
  });
});

describe("parseCsv", () => {
  it.each([
    {
      text: "text,label\n好,1\n",
      rows: [
        ["text", "label"],
        ["好", "1"],
      ],
    },
    {
      text: '"a, b",0\r\n"say ""hi""",1',
      rows: [
        ["a, b", "0"],
        ['say "hi"', "1"],
      ],
    },
    { text: '"two\nlines",1\n', rows: [["two\nlines", "1"]] },
    { text: "\uFEFFtext,label\n", rows: [["text", "label"]] },
    {
      text: "text,label\n\n好,1,extra\n",
      rows: [
        ["text", "label"],
        ["好", "1", "extra"],
      ],
    },
  ])("parses $text", ({ text, rows }) => {
    expect(parseCsv(text)).toEqual(rows);
  });
});

describe("pickTexts", () => {
  const texts = [
    { text: "aaaa", positive: true },
    { text: "bb", positive: true },
    { text: "cccc", positive: false },
    { text: "dddd", positive: true },
    { text: "eeeeeeee", positive: false },
  ];
  it("keeps texts in the token range, alternating labels while both last", () => {
    const picked = pickTexts(texts, (t) => t.length, { count: 10, minTokens: 3, maxTokens: 5 });
    expect(picked.map((t) => t.text)).toEqual(["aaaa", "cccc", "dddd"]);
  });
  it("stops at count", () => {
    expect(pickTexts(texts, (t) => t.length, { count: 1, minTokens: 1, maxTokens: 9 })).toHaveLength(1);
  });
});

describe("renderTable", () => {
  it("aligns columns by display width, CJK counting double", () => {
    const lines = renderTable([
      { section: "情感", metric: "p50", value: "90 ms" },
      { section: "chat", metric: "decode", value: "41 tok/s", note: "ok" },
    ]).split("\n");
    expect(lines[2]).toBe("| 情感    | p50    | 90 ms    |      |");
    expect(lines[3]).toBe("| chat    | decode | 41 tok/s | ok   |");
  });
});

describe("evaluateTargets", () => {
  it("judges each target against the run's figures", () => {
    const verdicts = evaluateTargets({
      sentimentP50Ms: 120,
      baselineP50Ms: 1200,
      serviceDecodeTokPerS: 38,
      llamaBenchTgTokPerS: 40,
      ttft50TokenMs: 310,
      http8PerSecond: 6.5,
      http8P95Ms: 1400,
      rssMiB: 1290,
      overloadSentimentP95Ms: 2100,
      overloadUnboundedSentimentP95Ms: 15_000,
      overloadRefusalP95Ms: 12,
      turnThreeP50Ms: 300,
      turnOneP50Ms: 180,
      turnSequentialP50Ms: 540,
    });
    expect(verdicts.map((v) => v.met)).toEqual([
      true,
      true,
      false,
      true,
      false,
      true,
      true,
      false,
      true,
      false,
      null,
    ]);
    expect(verdicts[7]!.baseline).toBe("unbounded queue: 15000 ms");
    expect(verdicts[9]!.figure).toBe("1.67× (300 ms)");
    expect(verdicts[1]!.figure).toBe("10.0×");
  });
  it("does not keep classifications when some were refused or cut, however fast the others were", () => {
    const target = (notServed: number | undefined) =>
      evaluateTargets({ overloadSentimentP95Ms: 800, overloadSentimentNotServed: notServed })[7]!;
    expect(target(0)).toMatchObject({ met: true, figure: "800 ms served, 0 not served" });
    expect(target(3)).toMatchObject({ met: false, figure: "800 ms served, 3 not served" });
    expect(target(undefined).met).toBe(true);
  });

  it("prefers the interleaved share of llama-bench to the ratio of separate figures", () => {
    const [, , , share] = evaluateTargets({
      serviceDecodeTokPerS: 30,
      llamaBenchTgTokPerS: 40,
      serviceShareOfLlamaBench: 0.93,
    });
    expect(share).toMatchObject({ figure: "93%", met: true });
  });
  it("shows llama.cpp's own time for the same tokens beside the sentiment target when it was measured", () => {
    const [withFloor] = evaluateTargets({ sentimentP50Ms: 170, baselineP50Ms: 900, sentimentFloorMs: 158 });
    expect(withFloor).toMatchObject({
      met: false,
      baseline: "write-up style 900 ms; llama-bench, same tokens: 158 ms",
    });
    const [withoutFloor] = evaluateTargets({ sentimentP50Ms: 170, baselineP50Ms: 900 });
    expect(withoutFloor!.baseline).toBe("write-up style 900 ms");
  });
  it("judges the PostgreSQL analysis at 1M events only, on time and heap against SQLite's", () => {
    const verdict = (events: number, postgresSeconds: number, postgresHeapMb: number) =>
      evaluateTargets({
        analysisEvents: events,
        analysisSqliteSeconds: 20,
        analysisPostgresSeconds: postgresSeconds,
        analysisSqliteHeapMb: 40,
        analysisPostgresHeapMb: postgresHeapMb,
      }).at(-1)!;
    expect(verdict(1_000_000, 30, 44)).toMatchObject({
      met: true,
      figure: "1.50× (30.0 s, 44.0 MB live heap; 1000000 events)",
      baseline: "SQLite 20.0 s, 40.0 MB live heap",
    });
    expect(verdict(1_000_000, 41, 44).met).toBe(false);
    expect(verdict(1_000_000, 30, 51).met).toBe(false);
    expect(verdict(100_000, 30, 44).met).toBeNull();
  });
  it("marks what was not measured", () => {
    expect(evaluateTargets({}).every((v) => v.met === null && v.figure === "not measured")).toBe(true);
  });
});

describe("msAtThreadsSince", () => {
  it("keeps only the time accumulated after the first snapshot", () => {
    expect(msAtThreadsSince({ 1: 1750, 2: 500 }, { 1: 1750, 2: 9500 })).toEqual({ 1: 0, 2: 9000 });
    expect(msAtThreadsSince({ 2: 500 }, { 1: 250, 2: 800 })).toEqual({ 1: 250, 2: 300 });
    expect(msAtThreadsSince({ 2: 500 }, undefined)).toBeUndefined();
  });
});

describe("threadShare", () => {
  it("turns milliseconds into shares and words", () => {
    const share = threadShare({ 1: 250, 2: 750 });
    expect(share).toEqual({ 1: 0.25, 2: 0.75 });
    expect(describeThreadShare(share)).toBe("2 threads 75%, 1 thread 25%");
    expect(describeThreadShare(threadShare(undefined))).toBe("fixed");
    expect(threadShare({ 1: 0, 2: 9000 })).toEqual({ 2: 1 });
  });
});

describe("outcomeKind", () => {
  it("tells served, refused, deadline-ended and failed requests apart", () => {
    expect(outcomeKind({ status: 200 })).toBe("served");
    expect(outcomeKind({ status: 200, done: true, finishReason: "stop" })).toBe("served");
    expect(outcomeKind({ status: 503, code: "ENGINE_BUSY" })).toBe("refused");
    expect(outcomeKind({ status: 504, code: "ENGINE_TIMEOUT" })).toBe("deadline");
    // A stream that had its 200 and tokens, then hit its deadline, is not served.
    expect(outcomeKind({ status: 200, done: false, code: "ENGINE_TIMEOUT" })).toBe("deadline");
    expect(outcomeKind({ status: 200, done: true, finishReason: "cancelled" })).toBe("deadline");
    expect(outcomeKind({ status: 200, done: false })).toBe("failed");
    expect(outcomeKind({ status: 200, done: false, code: "STORAGE_FAILED" })).toBe("failed");
    expect(outcomeKind({ status: 503, code: "STORAGE_FAILED" })).toBe("failed");
    expect(outcomeKind({ status: 0, code: "CONNECTION_LOST" })).toBe("failed");
  });
});

describe("runClientLoops", () => {
  it("runs each client's requests one after another, numbered across clients, until told to stop", async () => {
    let inFlight = 0;
    let most = 0;
    const sent: number[] = [];
    const { calls } = await runClientLoops({
      clients: 3,
      requestsPerClient: 4,
      send: async (n) => {
        most = Math.max(most, ++inFlight);
        sent.push(n);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight -= 1;
        return n * 10;
      },
    });
    expect(most).toBe(3);
    expect([...sent].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(calls.map((c) => c.value).sort((a, b) => a - b)).toEqual(
      sent.map((n) => n * 10).sort((a, b) => a - b),
    );
    expect(calls.every((c) => c.ms >= 1)).toBe(true);
    let left = 2;
    const stopped = await runClientLoops({
      clients: 1,
      requestsPerClient: 10,
      keepGoing: () => left > 0,
      send: async () => (left -= 1),
    });
    expect(stopped.calls).toHaveLength(2);
  });
});
