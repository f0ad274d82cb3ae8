import { expect, it } from "vitest";
import type { PromptVersion } from "./store/prompt-store.js";
import { diffPromptVersions, formatPromptVersionDiff } from "./diff-prompt-versions.js";

const base: PromptVersion = {
  id: "sentiment@v1",
  definition: {
    task: "sentiment",
    version: "v1",
    kind: "classifier",
    systemPrompt: "你是情感分析师。\n只输出'正面'或'负面'。",
    labels: ["正面", "负面"],
    params: { temperature: 0, topK: 1 },
  },
  contentHash: "h1",
  parentId: null,
  source: "file",
  changelog: {},
  createdAt: 1,
};

it("shows a line diff of the system prompt and each other field that changed", () => {
  const next: PromptVersion = {
    ...base,
    id: "sentiment@v2",
    definition: {
      ...base.definition,
      version: "v2",
      systemPrompt: "你是情感分析师。\n注意'但是'之后的内容。\n只输出'正面'或'负面'。",
      params: { topK: 1, temperature: 0 },
      fewShot: [{ input: "不错，但是太贵", label: "负面" }],
    },
    contentHash: "h2",
    parentId: "sentiment@v1",
    source: "analysis",
  };
  const diff = diffPromptVersions(base, next);
  expect(diff).toEqual({
    from: "sentiment@v1",
    to: "sentiment@v2",
    sameBehaviour: false,
    systemPrompt:
      "--- sentiment@v1\n+++ sentiment@v2\n@@ -1,2 +1,3 @@\n 你是情感分析师。\n+注意'但是'之后的内容。\n" +
      " 只输出'正面'或'负面'。\n\\ No newline at end of file\n",
    // params only changed key order: not a change.
    changedFields: [
      { field: "fewShot", from: null, to: [{ input: "不错，但是太贵", label: "负面" }] },
      { field: "parentId", from: null, to: "sentiment@v1" },
      { field: "source", from: "file", to: "analysis" },
    ],
  });
  expect(formatPromptVersionDiff(diff)).toContain(
    'fewShot: (unset) → [{"input":"不错，但是太贵","label":"负面"}]',
  );
});

it("says when two versions behave the same (only prose differs)", () => {
  const prose = { ...base, id: "sentiment@v1b", definition: { ...base.definition, description: "notes" } };
  const diff = diffPromptVersions(base, prose);
  expect(diff).toMatchObject({ sameBehaviour: true, systemPrompt: "" });
  expect(diff.changedFields).toEqual([{ field: "description", from: null, to: "notes" }]);
  expect(formatPromptVersionDiff(diff)).toMatch(
    /^sentiment@v1 → sentiment@v1b \(same behaviour\)\nsystem prompt: unchanged\n/,
  );
});
