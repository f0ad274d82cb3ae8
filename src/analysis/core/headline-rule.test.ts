import { describe, expect, it } from "vitest";
import { createAnalysisRun } from "./analyze-feedback.js";
import { buildCandidates } from "./candidates/build-candidates.js";
import type { CurrentPrompt } from "./candidates/candidate-prompt.js";
import { rulesSectionTitle } from "./candidates/rules-strategy.js";
import { headlineFixture, headlineSentence } from "./test-support/headline-fixture.js";

const v1: CurrentPrompt = {
  id: "sentiment@v1",
  systemPrompt:
    "你是一个冷酷的情感分析师，只分析用户输入文本所表达的情感倾向，不做任何解释，不回答问题。\n输出只能是'正面'或'负面'。",
};

/** The rules the analysis appends after the users' corrections in `fixture`. */
function rulesFrom(fixture: ReturnType<typeof headlineFixture>) {
  const run = createAnalysisRun({
    tasks: [{ task: "sentiment", labels: ["正面", "负面"], currentVersionId: "sentiment@v1" }],
    ranking: { minSupport: 10 },
  });
  for (const item of fixture) run.add(item);
  const sentiment = run.finish().tasks.find((task) => task.task === "sentiment")!;
  const mixed = sentiment.mining!.patterns.find((pattern) => pattern.id === "structure:mixed");
  const rules = buildCandidates(sentiment, v1).candidates.find((candidate) => candidate.strategy === "rules");
  const appended = rules?.systemPrompt.split(rulesSectionTitle)[1]?.trim().split("\n") ?? [];
  return { mixed, rules, appended };
}

describe("the write-up's headline case, 「这个结果真是令人失望，不过还能接受」", () => {
  it("is mixed sentiment, not only a contrast, and the rule says what the users say: 负面", () => {
    const fixture = headlineFixture();
    const { mixed, rules, appended } = rulesFrom(fixture);
    expect(mixed).toMatchObject({
      title: "矛盾情绪 (mixed sentiment)",
      correctedTo: { label: "负面", count: 36, corrections: 40, share: 0.9 },
    });
    // Mixed sentiment narrows contrast down and holds its errors: its rule replaces the broader one.
    expect(rules!.targetPatterns[0]).toBe("structure:mixed");
    expect(rules!.targetPatterns).not.toContain("structure:contrast");
    const mixedRule = appended.find((line) => line.includes("矛盾情绪"))!;
    expect(mixedRule).toMatch(
      /^\d\. 如果句子包含矛盾情绪（如'.+'），优先判定为'负面'（用户纠正中 90% 为'负面'）。$/,
    );
    // Its examples are the structure of inputs the users corrected (sampled, so not always the headline itself).
    const quoted = [...mixedRule.split("），")[0]!.matchAll(/'([^']+)'/g)].map((match) => match[1]!);
    expect(quoted.length).toBeGreaterThan(0);
    const inputs = fixture.map((item) => item.interaction.input);
    expect(quoted.every((example) => inputs.some((input) => input.includes(example)))).toBe(true);
    expect(inputs[0]).toBe(headlineSentence);
    // Every appended rule points to 负面, none to 正面, and none claims the part after the turn decides.
    expect(appended.filter((line) => /^\d\./.test(line)).every((line) => line.includes("'负面'"))).toBe(true);
    expect(rules!.systemPrompt).not.toContain("以转折后的内容为准");
    expect(rules!.systemPrompt).not.toContain("优先判定为'正面'");
    expect(rules!.changes).toContain(
      "appended a rule for 矛盾情绪 (mixed sentiment) (users corrected 36 of 40 to 负面 (90.0%))",
    );
  });

  it("follows the users the other way when they correct the same sentences to 正面", () => {
    const { mixed, appended } = rulesFrom(headlineFixture({ correctedTo: "正面" }));
    expect(mixed?.correctedTo).toMatchObject({ label: "正面", share: 0.9 });
    const mixedRule = appended.find((line) => line.includes("矛盾情绪"))!;
    expect(mixedRule).toContain("优先判定为'正面'（用户纠正中 90% 为'正面'）");
  });
});
