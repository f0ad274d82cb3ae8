import type { CandidatePrompt } from "../candidates/candidate-prompt.js";
import { describeNamedSet } from "../named-set-replay.js";
import { directionText } from "../candidates/describe-pattern.js";
import { escapeMarkdown as esc, highlight, markdownCodeBlock } from "./escape-text.js";
import { replayReasonZh } from "../replay-gate-reason.js";
import { sessionSection } from "./session-rows.js";
import {
  confusionTable,
  fixed,
  isoTime,
  metricsCells,
  metricsColumns,
  percent,
  percentWithInterval,
} from "./format-values.js";
import type { PatternReasonTags } from "../mined-pattern.js";
import { confusedPairsTable, perLabelTable } from "./label-tables.js";
import type { ReportCandidate, SuggestionReport, TaskReport } from "./suggestion-report.js";
import {
  generatorGateLines,
  replyPropertyHeader,
  replyPropertyRows,
  replyPropertySummary,
} from "./chat-candidate-text.js";

/** Renders the report as Markdown; every piece of user or model text is escaped. */
export function renderReportMarkdown(report: SuggestionReport): string {
  const lines = [
    `# ${report.title}`,
    "",
    `- 生成时间 generated: ${isoTime(report.generatedAt)}`,
    `- 数据窗口 window: ${isoTime(report.window.from)} – ${isoTime(report.window.to)}`,
    `- 交互 interactions: ${report.interactions}, 反馈事件 feedback events: ${report.feedbackEvents}`,
    `- 水位 watermark: ${report.watermark.previous ?? "–"} → ${report.watermark.next ?? "–"}`,
    "",
  ];
  for (const task of report.tasks) lines.push(...taskSection(task));
  return `${lines.join("\n").trimEnd()}\n`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ];
}

function taskSection(task: TaskReport): string[] {
  const lines = [
    `## ${esc(task.task)} (${esc(task.currentVersionId ?? "–")})`,
    "",
    "### 建议 Recommendation",
    "",
  ];
  const recommendation = task.recommendation;
  if (recommendation.decision === "create_draft") {
    lines.push(
      `**创建草稿版本 Create draft \`${esc(recommendation.versionId)}\`** from candidate **${esc(recommendation.candidate)}** (based on ${esc(recommendation.fromVersionId)}).`,
    );
  } else {
    lines.push("**不修改 No change.**");
  }
  lines.push("", `- ${esc(recommendation.reason.zh)}`, `- ${esc(recommendation.reason.en)}`, "");
  lines.push(`**置信度 Confidence: ${fixed(task.confidence.score)}** = ${esc(task.confidence.formula)}`, "");
  lines.push(
    ...table(
      ["component", "value", "weight", "how"],
      task.confidence.components.map((c) => [
        esc(c.name),
        fixed(c.value, 3),
        fixed(c.weight),
        esc(c.explanation),
      ]),
    ),
    "",
  );

  const sessions = sessionSection(task);
  lines.push("### 会话 Sessions", "", esc(sessions.sentence), "");
  if (sessions.rows.length > 0)
    lines.push(
      ...table(
        sessions.header,
        sessions.rows.map((row) => row.map(esc)),
      ),
      "",
    );
  lines.push(
    "### 指标 Metrics",
    "",
    ...table(
      metricsColumns,
      task.metrics.versions.map((row) => metricsCells(row).map(esc)),
    ),
    "",
  );
  if (task.metrics.current !== null && task.labels.length > 0) {
    const confusion = confusionTable(task.metrics.current, task.labels);
    lines.push(`混淆矩阵 Confusion matrix (${esc(task.metrics.current.promptVersionId)}):`, "");
    lines.push(
      ...table(
        confusion.header.map(esc),
        confusion.rows.map((row) => row.map(esc)),
      ),
      "",
    );
    const perLabel = perLabelTable(task.metrics.current);
    lines.push(
      "每个标签 Per label:",
      "",
      ...table(
        perLabel.header,
        perLabel.rows.map((row) => row.map(esc)),
      ),
      "",
    );
  }
  lines.push(
    `触发条件 Trigger (${task.trigger.stats.rule}): **${task.trigger.decision}** — ${esc(task.trigger.reason.zh)} / ${esc(task.trigger.reason.en)}`,
    "",
    `- ${esc(task.trigger.explanation.zh)}`,
    `- ${esc(task.trigger.explanation.en)}`,
    "",
  );

  if (task.mining !== null) lines.push(...patternSection(task));
  lines.push(...qualitySection(task));
  if (task.mining !== null && task.mining.confusedPairs.length > 0) {
    const pairs = confusedPairsTable(task.mining.confusedPairs);
    lines.push(
      "### 混淆标签对 Confused pairs",
      "",
      ...table(
        pairs.header,
        pairs.rows.map((row) => row.map(esc)),
      ),
      "",
    );
  }
  if (task.candidates.length > 0 || task.skippedStrategies.length > 0) lines.push(...candidateSection(task));
  return lines;
}

/** "sarcasm 4, negation 1 of 6 sampled errors → sarcasm", or "–" without tags. */
function reasonTagsText(tags: PatternReasonTags | undefined): string {
  if (!tags || tags.tagged === 0) return "–";
  const counts = Object.entries(tags.counts)
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([tag, count]) => `${tag} ${count}`)
    .join(", ");
  return `${counts} of ${tags.sampledErrors} sampled errors${tags.structure ? ` → ${tags.structure}` : ""}`;
}

function qualitySection(task: TaskReport): string[] {
  const { rows, signals, fit, lowQuality, replies } = task.quality;
  const totals = rows.filter((row) => row.bucketStart === null);
  const replyLines =
    replies === null
      ? []
      : [
          esc(replyPropertySummary(replies)),
          "",
          ...table(replyPropertyHeader, replyPropertyRows(replies)),
          "",
        ];
  const lines = [
    "### 质量分 Quality score",
    "",
    "Fused score of explicit and implicit signals (prior weights; a bad turn is rated ≤ 2 or scored below 0.4).",
    "",
    ...table(
      ["version", "turns", "scored", "mean score (95% CI)", "bad turns (95% CI)"],
      totals.map((row) => [
        esc(row.promptVersionId),
        String(row.turns),
        String(row.scored),
        row.meanScore === null
          ? "–"
          : `${fixed(row.meanScore)} [${fixed(row.meanScoreLow)}, ${fixed(row.meanScoreHigh)}]`,
        percentWithInterval(row.badTurnRate, row.badTurnRateLow, row.badTurnRateHigh),
      ]),
    ),
    "",
    `- 停留 dwell (visible time ÷ reading time, ${signals.dwell.turns} turns): ` +
      signals.dwell.buckets.map((b) => `${b.label}: ${b.turns}`).join(", "),
    `- 二次提问 follow-ups: rephrased ${signals.followUps.rephrase} (${percent(signals.followUps.rephraseRate)} of turns), ` +
      `new topic ${signals.followUps.newTopic} (${percent(signals.followUps.newTopicRate)}); ignored: no session ` +
      `${signals.followUps.ignored.no_session}, no next turn ${signals.followUps.ignored.no_next_turn}`,
    `- exits ${signals.exits}, copies ${signals.copies}, edits ${signals.edits}, ratings ${signals.ratings}`,
    `- weights: ${fit.source === "fitted" ? `fitted on ${fit.fittedOn} rated turns (${fit.sessions} sessions)` : `prior (${fit.ratedTurns} rated turns with other signals, fewer than ${fit.options.minimumRatedTurns})`}; ` +
      `held-out AUC ${fixed(fit.evaluation.auc)} (prior ${fixed(fit.evaluation.priorAuc)}), Spearman ${fixed(fit.evaluation.spearman)} on ${fit.evaluation.heldOutTurns} turns`,
    "",
  ];
  lines.push(...replyLines);
  if (lowQuality === null) return lines;
  lines.push(
    `Low-quality turns: ${lowQuality.lowQualityDocuments} of ${lowQuality.documents} scored turns of the current version (fitted weights); ` +
      `user-message patterns over-represented among them (${lowQuality.testedPatterns} tested):`,
    "",
  );
  if (lowQuality.patterns.length === 0)
    return [...lines, "No pattern is over-represented among low-quality turns.", ""];
  lines.push(
    ...table(
      ["#", "pattern", "turns", "low-quality", "rate", "z"],
      lowQuality.patterns.map((p, index) => [
        String(index + 1),
        esc(p.title),
        String(p.support),
        String(p.errorSupport),
        percent(p.errorRate),
        fixed(p.zScore),
      ]),
    ),
    "",
  );
  return lines;
}

function patternSection(task: TaskReport): string[] {
  const mining = task.mining!;
  const lines = [
    "### 错误模式 Error patterns",
    "",
    `Mined ${mining.documents} labelled inputs (${mining.errorDocuments} misclassified, base error rate ${percent(mining.baseErrorRate)}); ` +
      `ranked by log-odds z-score with an informative Dirichlet prior (min support ${mining.ranking.minSupport}, min z ${fixed(mining.ranking.minZ)} over ${mining.testedPatterns} tested patterns).` +
      (mining.includesHoldout ? " Patterns include the held-out period." : ""),
    "",
  ];
  if (mining.patterns.length === 0) return [...lines, "No pattern is over-represented among errors.", ""];
  lines.push(
    ...table(
      ["#", "pattern", "support", "errors", "error rate", "lift", "z", "direction", "用户标签 reason tags"],
      mining.patterns.map((p, index) => [
        String(index + 1),
        esc(p.title),
        String(p.support),
        String(p.errorSupport),
        percent(p.errorRate),
        fixed(p.lift),
        fixed(p.zScore),
        esc(p.directions.map((d) => `${directionText(d.predicted, d.gold)}: ${d.count}`).join(", ")),
        esc(reasonTagsText(p.reasonTags)),
      ]),
    ),
    "",
  );
  for (const [index, pattern] of mining.patterns.entries()) {
    if (pattern.examples.length === 0) continue;
    lines.push(`${index + 1}. ${esc(pattern.title)} — examples:`);
    for (const example of pattern.examples) {
      const text = highlight(example.text, example.match, esc, "**", "**");
      lines.push(`   - ${text} (${esc(directionText(example.predicted, example.gold))})`);
    }
  }
  return [...lines, ""];
}

function candidateSection(task: TaskReport): string[] {
  const lines = ["### 候选 Candidates", ""];
  for (const entry of task.candidates) lines.push(...candidateLines(entry));
  for (const skipped of task.skippedStrategies)
    lines.push(`- 策略 **${esc(skipped.strategy)}** 未提出候选 proposed nothing: ${esc(skipped.reason)}`);
  return [...lines, ""];
}

function candidateLines({ candidate, replay, gate }: ReportCandidate): string[] {
  const lines = [`#### ${esc(candidate.strategy)}`, ""];
  for (const change of candidate.changes) lines.push(`- ${esc(change)}`);
  lines.push(`- 理由 Why: ${esc(candidate.rationale)}`);
  if (gate !== undefined) {
    if (gate === null) lines.push("- Gate: not replayed");
    else {
      lines.push(`- Gate: **${gate.pass ? "pass" : "fail"}** — ${esc(gate.reason)}`);
      for (const line of generatorGateLines(gate)) lines.push(`  - ${esc(line)}`);
    }
  } else if (replay === null) lines.push("- 回放验证 Replay: 未回放 not replayed");
  else {
    const s = replay.stats;
    lines.push(
      `- 回放验证 Replay: **${replay.pass ? "通过 pass" : "未通过 fail"}** — ${esc(replayReasonZh(replay))} / ${esc(replay.reason)}`,
      `  - held-out accuracy ${percent(s.heldOut.currentAccuracy)} → ${percent(s.heldOut.candidateAccuracy)} (n = ${s.heldOut.n}); ` +
        `slice ${percent(s.slice.currentAccuracy)} → ${percent(s.slice.candidateAccuracy)} (n = ${s.slice.n}); ` +
        `broken ${s.regression.brokenByCandidate}/${s.regression.n}; McNemar p(worse) = ${fixed(s.pWorse, 4)}, p(better) = ${fixed(s.pBetter, 4)}`,
    );
    for (const set of s.namedSets ?? []) lines.push(`  - ${esc(describeNamedSet(set))}`);
  }
  lines.push("", markdownCodeBlock(candidate.systemPrompt), "");
  lines.push(...promptExtras(candidate));
  return lines;
}

function promptExtras(candidate: CandidatePrompt): string[] {
  const lines: string[] = [];
  if (candidate.fewShot !== undefined && candidate.fewShot.length > 0) {
    lines.push("Few-shot:", "");
    for (const example of candidate.fewShot) lines.push(`- ${esc(example.input)} → ${esc(example.label)}`);
    lines.push("");
  }
  if (candidate.retrieval !== undefined) {
    const r = candidate.retrieval;
    lines.push(
      `Retrieval: ${r.method} (${esc(r.tokenizer)}), k = ${r.k}, k1 = ${r.k1}, b = ${r.b}, min score ${r.minScore}, pool of ${r.pool.length}`,
      "",
    );
  }
  return lines;
}
