import { describe, expect, it } from "vitest";
import { createAnalysisRun } from "../analyze-feedback.js";
import { buildCandidates } from "../candidates/build-candidates.js";
import { decideReplayGate } from "../replay-gate.js";
import { buildReplaySets } from "../replay-sets.js";
import { fakeReplay } from "../test-support/fake-classifier.js";
import { buildInteraction, correction, thumbsUp } from "../test-support/interaction-builder.js";
import { plantedKeywordFixture } from "../test-support/planted-keyword-fixture.js";
import { buildReport } from "./build-report.js";
import { escapeMarkdown, markdownCodeBlock } from "./escape-text.js";
import { renderReportHtml } from "./render-html.js";
import { renderReportMarkdown } from "./render-markdown.js";
import type { SuggestionReport } from "./suggestion-report.js";

const attack = `<script>alert("x")</script> | **还行** & <img src=x onerror=alert(1)>`;

function reportWith(items = plantedKeywordFixture({ plantedErrors: 80, keyword: "还行" })): SuggestionReport {
  // Hostile user text, repeated so it becomes an example of the planted pattern and of few-shot candidates.
  const hostile = Array.from({ length: 30 }, (_, i) =>
    buildInteraction({
      input: `${attack}${i}`,
      predictedLabel: "正面",
      createdAt: Date.UTC(2025, 3, 1) + i,
      events: [i % 3 === 0 ? thumbsUp : correction("负面")],
    }),
  );
  const run = createAnalysisRun({
    tasks: [{ task: "sentiment", labels: ["正面", "负面"] }],
    ranking: { minSupport: 10 },
  });
  for (const item of [...hostile, ...items]) run.add(item);
  const analysis = run.finish();
  const task = analysis.tasks[0]!;
  const current = { id: "sentiment@v1", systemPrompt: "判断情感，只能输出'正面'或'负面'。<b>不要解释</b>" };
  const built = buildCandidates(task, current);
  const sets = buildReplaySets(task);
  const replays = Object.fromEntries(
    built.candidates.map((candidate) => [
      candidate.strategy,
      decideReplayGate({
        ...sets,
        current: fakeReplay(current, sets.inputs),
        candidate: fakeReplay(candidate, sets.inputs),
        targetPatterns: candidate.targetPatterns,
      }),
    ]),
  );
  return buildReport({
    analysis,
    generatedAt: Date.UTC(2025, 5, 1),
    tasks: { sentiment: { candidates: built, replays } },
  });
}

describe("report renderers", () => {
  const report = reportWith();

  it("candidates carry the hostile text only sanitised (markup gone, words and Markdown kept)", () => {
    const candidates = JSON.stringify(report.tasks[0]!.candidates);
    expect(candidates).toContain('alert(\\"x\\") | **还行** &');
    expect(candidates).not.toMatch(/<script>|<img/);
  });

  it("escapes all user text in HTML", () => {
    const html = renderReportHtml(report);
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<b>不要解释</b>");
    expect(html).toContain("&lt;b&gt;不要解释&lt;/b&gt;");
    expect(html).toContain("alert(&quot;x&quot;) | **还行** &amp;");
    expect(html).toContain("<mark>还行</mark>");
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain("Prompt 优化建议报告");
  });

  it("escapes user text in Markdown and keeps tables intact", () => {
    const markdown = renderReportMarkdown(report);
    expect(markdown).not.toContain("<script>");
    expect(markdown).not.toContain("<img");
    expect(markdown).toContain("\\| \\*\\*还行\\*\\*");
    expect(markdown).toMatch(/^# Prompt 优化建议报告/);
    for (const line of markdown.split("\n").filter((l) => l.startsWith("| "))) {
      const header = line.split(/(?<!\\)\|/).length;
      expect(header).toBeGreaterThanOrEqual(3);
    }
  });

  it("renders the recommendation, the metrics, the patterns and the candidates", () => {
    const markdown = renderReportMarkdown(report);
    expect(markdown).toContain("创建草稿版本 Create draft `sentiment@v2`");
    expect(markdown).toContain("置信度 Confidence");
    expect(markdown).toContain("混淆矩阵 Confusion matrix");
    expect(markdown).toContain("“还行”");
    expect(markdown).toContain("#### rules");
    expect(markdown).toMatch(/^- 理由 Why: /m);
    const skipped = {
      ...report,
      tasks: report.tasks.map((task) => ({
        ...task,
        skippedStrategies: [{ strategy: "rewrite", reason: "the model was not asked for a rewrite" }],
      })),
    };
    expect(renderReportMarkdown(skipped)).toContain(
      "- 策略 **rewrite** 未提出候选 proposed nothing: the model was not asked for a rewrite",
    );
    expect(renderReportHtml(skipped)).toContain(
      "<li>策略 <b>rewrite</b> 未提出候选 proposed nothing: the model",
    );
    expect(markdown).toContain("回放验证 Replay: **通过 pass** — 目标切片答对数");
    // The Chinese part of the report holds no English replay sentence.
    expect(markdown).not.toMatch(/\*\*通过 pass\*\* — [a-z]/);
  });

  it("fences code so that backticks inside cannot close it", () => {
    expect(markdownCodeBlock("a ``` b")).toBe("````text\na ``` b\n````");
  });

  it.each([
    ["a|b\nc", "a\\|b c"],
    ["**粗体** _x_ `code` [link](u)", "\\*\\*粗体\\*\\* \\_x\\_ \\`code\\` \\[link\\](u)"],
    ["# 标题", "\\# 标题"],
    ["1. 列表", "1\\. 列表"],
    ["<b>&amp;</b>", "&lt;b&gt;&amp;amp;&lt;/b&gt;"],
    ["好评率 95.5%（不错）", "好评率 95.5%（不错）"],
  ])("escapes Markdown %j", (text, escaped) => {
    expect(escapeMarkdown(text)).toBe(escaped);
  });
});
