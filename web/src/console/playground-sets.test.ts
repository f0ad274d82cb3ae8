import { describe, expect, it } from "vitest";
import {
  inputsFromLines,
  inputsOfPattern,
  inputsOfRegressionSet,
  regressionSetsOf,
  latestMisclassified,
  latestPatterns,
  maxPlaygroundInputs,
} from "./playground-sets.js";

/** Answers admin requests from a table of URL → JSON body, recording the URLs asked for. */
function answering(bodies: Record<string, unknown>) {
  const asked: string[] = [];
  const request = async (url: string) => {
    asked.push(url);
    if (!(url in bodies)) throw new Error(`unexpected ${url}`);
    return Response.json(bodies[url]);
  };
  return { request, asked };
}

describe("inputsFromLines", () => {
  it("takes one input per non-empty line, trimmed, at most 50", () => {
    expect(inputsFromLines(" 好吃 \n\n  \r\n太慢了\n")).toEqual({
      inputs: [{ input: "好吃" }, { input: "太慢了" }],
      truncated: false,
    });
    const many = inputsFromLines(Array.from({ length: 60 }, (_, i) => `第${i}条`).join("\n"));
    expect(many.inputs).toHaveLength(maxPlaygroundInputs);
    expect(many.truncated).toBe(true);
  });
});

describe("saved sets", () => {
  it("reads the task's latest misclassifications from the triage list, with the right label when known", async () => {
    const { request, asked } = answering({
      "/api/admin/misclassifications?task=sentiment&limit=50": {
        total: 2,
        offset: 0,
        limit: 50,
        items: [
          { input: "失望但能接受", judgement: { expectedLabel: "负面" } },
          { input: "说不清", judgement: { expectedLabel: null } },
        ],
      },
    });
    expect(await latestMisclassified(request, "sentiment")).toEqual([
      { input: "失望但能接受", expected: "负面" },
      { input: "说不清" },
    ]);
    expect(asked).toHaveLength(1);
  });

  it("takes the patterns of the newest report that has some for the task, with their examples", async () => {
    const listing = (id: string, task: string) => ({ id, tasks: [{ task }] });
    const { request } = answering({
      "/api/admin/reports?limit=20": {
        reports: [listing("r3", "chat"), listing("r2", "sentiment"), listing("r1", "sentiment")],
      },
      "/api/admin/reports/r2?format=json": { tasks: [{ task: "sentiment", mining: { patterns: [] } }] },
      "/api/admin/reports/r1?format=json": {
        tasks: [
          {
            task: "sentiment",
            mining: {
              patterns: [
                {
                  id: "p1",
                  title: "但是…失望",
                  examples: [
                    { text: "好吃,但是失望", gold: "负面" },
                    { text: "一般", gold: null },
                  ],
                },
              ],
            },
          },
        ],
      },
    });
    const patterns = await latestPatterns(request, "sentiment");
    expect(patterns.map((p) => [p.reportId, p.id, p.title])).toEqual([["r1", "p1", "但是…失望"]]);
    expect(inputsOfPattern(patterns[0]!)).toEqual([
      { input: "好吃,但是失望", expected: "负面" },
      { input: "一般" },
    ]);
    expect(await latestPatterns(request, "moderation")).toEqual([]);
  });

  it("lists the task's regression sets and reads one as inputs with their expected labels", async () => {
    const { request } = answering({
      "/api/admin/regression-sets?task=sentiment": { sets: [{ id: "rs1", name: "转折句", items: 2 }] },
      "/api/admin/regression-sets/rs1": {
        set: { id: "rs1" },
        items: [
          { input: "好吃,但是失望", expectedLabel: "负面" },
          { input: "一般", expectedLabel: null },
        ],
        changes: [],
      },
    });
    expect(await regressionSetsOf(request, "sentiment")).toEqual([{ id: "rs1", name: "转折句", items: 2 }]);
    expect(await inputsOfRegressionSet(request, "rs1")).toEqual({
      inputs: [{ input: "好吃,但是失望", expected: "负面" }, { input: "一般" }],
      truncated: false,
    });
  });
});
