import type { CandidatePrompt } from "../candidates/candidate-prompt.js";
import { describeNamedSet } from "../named-set-replay.js";
import type { GeneratorGateResult } from "../generator/generator-gate.js";
import {
  generatorGateLines,
  replyPropertyHeader,
  replyPropertyRows,
  replyPropertySummary,
} from "./chat-candidate-text.js";
import { directionText } from "../candidates/describe-pattern.js";
import { replayReasonZh } from "../replay-gate-reason.js";
import { sessionSection } from "./session-rows.js";
import { escapeHtml as esc, highlight } from "./escape-text.js";
import {
  confusionTable,
  fixed,
  isoTime,
  metricsCells,
  metricsColumns,
  percent,
  percentWithInterval,
} from "./format-values.js";
import { confusedPairsTable, perLabelTable } from "./label-tables.js";
import type { ReportCandidate, SuggestionReport, TaskReport } from "./suggestion-report.js";

const style = `
body{font:15px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1f2328}
h1{font-size:1.6rem}h2{border-bottom:1px solid #d0d7de;padding-bottom:.3rem;margin-top:2.5rem}
table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}pre{background:#f6f8fa;padding:.75rem;white-space:pre-wrap;word-break:break-word}
mark{background:#fff3b0}.pass{color:#1a7f37;font-weight:600}.fail{color:#cf222e;font-weight:600}
.recommendation{border-left:4px solid #0969da;background:#ddf4ff;padding:.5rem 1rem}.muted{color:#59636e}`;

/** Renders the report as one self-contained HTML page (inline CSS, no scripts); all user text is escaped. */
export function renderReportHtml(report: SuggestionReport): string {
  return [
    "<!doctype html>",
    '<html lang="zh-CN"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(report.title)}</title><style>${style}</style></head><body>`,
    `<h1>${esc(report.title)}</h1>`,
    `<p class="muted">生成时间 generated ${esc(isoTime(report.generatedAt))} · 数据窗口 window ${esc(isoTime(report.window.from))} – ${esc(isoTime(report.window.to))} · ` +
      `${report.interactions} interactions, ${report.feedbackEvents} feedback events · watermark ${report.watermark.previous ?? "–"} → ${report.watermark.next ?? "–"}</p>`,
    ...report.tasks.map(taskSection),
    "</body></html>",
    "",
  ].join("\n");
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = `<tr>${header.map((cell) => `<th>${cell}</th>`).join("")}</tr>`;
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join("")}</tr>`).join("");
  return `<table><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

function sessionParts(task: TaskReport): string[] {
  const sessions = sessionSection(task);
  return [
    "<h3>会话 Sessions</h3>",
    `<p>${esc(sessions.sentence)}</p>`,
    ...(sessions.rows.length > 0
      ? [
          table(
            sessions.header,
            sessions.rows.map((row) => row.map(esc)),
          ),
        ]
      : []),
  ];
}

function taskSection(task: TaskReport): string {
  const r = task.recommendation;
  const headline =
    r.decision === "create_draft"
      ? `创建草稿版本 Create draft <code>${esc(r.versionId)}</code> from candidate <b>${esc(r.candidate)}</b> (based on ${esc(r.fromVersionId)})`
      : "不修改 No change";
  const parts = [
    `<h2>${esc(task.task)} <span class="muted">(${esc(task.currentVersionId ?? "–")})</span></h2>`,
    `<div class="recommendation"><p><b>${headline}</b></p><p>${esc(r.reason.zh)}<br>${esc(r.reason.en)}</p>`,
    `<p>置信度 Confidence <b>${fixed(task.confidence.score)}</b> = ${esc(task.confidence.formula)}</p>`,
    table(
      ["component", "value", "weight", "how"],
      task.confidence.components.map((c) => [
        esc(c.name),
        fixed(c.value, 3),
        fixed(c.weight),
        esc(c.explanation),
      ]),
    ),
    "</div>",
    ...sessionParts(task),
    "<h3>指标 Metrics</h3>",
    table(
      metricsColumns.map(esc),
      task.metrics.versions.map((row) => metricsCells(row).map(esc)),
    ),
  ];
  if (task.metrics.current !== null && task.labels.length > 0) {
    const confusion = confusionTable(task.metrics.current, task.labels);
    parts.push(`<p>混淆矩阵 Confusion matrix (${esc(task.metrics.current.promptVersionId)})</p>`);
    parts.push(
      table(
        confusion.header.map(esc),
        confusion.rows.map((row) => row.map(esc)),
      ),
    );
    const perLabel = perLabelTable(task.metrics.current);
    parts.push(
      "<p>每个标签 Per label</p>",
      table(
        perLabel.header.map(esc),
        perLabel.rows.map((row) => row.map(esc)),
      ),
    );
  }
  parts.push(
    `<p>触发条件 Trigger (${esc(task.trigger.stats.rule)}): <b>${esc(task.trigger.decision)}</b> — ${esc(task.trigger.reason.zh)} / ${esc(task.trigger.reason.en)}</p>`,
    `<p class="trigger-explanation">${esc(task.trigger.explanation.zh)}<br>${esc(task.trigger.explanation.en)}</p>`,
  );
  if (task.mining !== null) parts.push(patternSection(task));
  parts.push(qualitySection(task));
  if (task.mining !== null && task.mining.confusedPairs.length > 0) {
    const pairs = confusedPairsTable(task.mining.confusedPairs);
    parts.push(
      "<h3>混淆标签对 Confused pairs</h3>",
      table(
        pairs.header.map(esc),
        pairs.rows.map((row) => row.map(esc)),
      ),
    );
  }
  if (task.candidates.length > 0 || task.skippedStrategies.length > 0) parts.push(candidateSection(task));
  return parts.join("\n");
}

function qualitySection(task: TaskReport): string {
  const { rows, signals, fit, lowQuality, replies } = task.quality;
  const totals = rows.filter((row) => row.bucketStart === null);
  const parts = [
    `<h3>质量分 Quality score</h3>`,
    `<p class="muted">Fused score of explicit and implicit signals (prior weights; a bad turn is rated ≤ 2 or scored below 0.4).</p>`,
    table(
      ["version", "turns", "scored", "mean score (95% CI)", "bad turns (95% CI)"],
      totals.map((row) => [
        esc(row.promptVersionId),
        String(row.turns),
        String(row.scored),
        row.meanScore === null
          ? "–"
          : `${fixed(row.meanScore)} [${fixed(row.meanScoreLow)}, ${fixed(row.meanScoreHigh)}]`,
        esc(percentWithInterval(row.badTurnRate, row.badTurnRateLow, row.badTurnRateHigh)),
      ]),
    ),
    `<p>停留 dwell (visible time ÷ reading time, ${signals.dwell.turns} turns): ${signals.dwell.buckets
      .map((b) => `${esc(b.label)}: ${b.turns}`)
      .join(", ")}<br>` +
      `二次提问 follow-ups: rephrased ${signals.followUps.rephrase} (${percent(signals.followUps.rephraseRate)}), ` +
      `new topic ${signals.followUps.newTopic} (${percent(signals.followUps.newTopicRate)}); ignored: no session ` +
      `${signals.followUps.ignored.no_session}, no next turn ${signals.followUps.ignored.no_next_turn}<br>` +
      `exits ${signals.exits}, copies ${signals.copies}, edits ${signals.edits}, ratings ${signals.ratings}<br>` +
      `weights: ${fit.source === "fitted" ? `fitted on ${fit.fittedOn} rated turns` : "prior"}; held-out AUC ` +
      `${fixed(fit.evaluation.auc)} (prior ${fixed(fit.evaluation.priorAuc)}), Spearman ${fixed(fit.evaluation.spearman)} ` +
      `on ${fit.evaluation.heldOutTurns} turns</p>`,
  ];
  if (replies !== null) {
    parts.push(
      `<p>${esc(replyPropertySummary(replies))}</p>`,
      table(
        replyPropertyHeader,
        replyPropertyRows(replies).map((row) => row.map(esc)),
      ),
    );
  }
  if (lowQuality !== null && lowQuality.patterns.length > 0) {
    parts.push(
      `<p>Low-quality turns: ${lowQuality.lowQualityDocuments} of ${lowQuality.documents}; user-message patterns over-represented among them:</p>`,
      table(
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
    );
  }
  return parts.join("\n");
}

function patternSection(task: TaskReport): string {
  const mining = task.mining!;
  const intro =
    `<p class="muted">Mined ${mining.documents} labelled inputs (${mining.errorDocuments} misclassified, base error rate ${percent(mining.baseErrorRate)}); ` +
    `log-odds z-score with an informative Dirichlet prior, min support ${mining.ranking.minSupport}, min z ${fixed(mining.ranking.minZ)} over ${mining.testedPatterns} tested patterns.` +
    (mining.includesHoldout ? " Patterns include the held-out period." : "") +
    "</p>";
  if (mining.patterns.length === 0)
    return `<h3>错误模式 Error patterns</h3>${intro}<p>No pattern is over-represented among errors.</p>`;
  const rows = mining.patterns.map((p, index) => [
    String(index + 1),
    esc(p.title),
    String(p.support),
    String(p.errorSupport),
    percent(p.errorRate),
    fixed(p.lift),
    fixed(p.zScore),
    esc(p.directions.map((d) => `${directionText(d.predicted, d.gold)}: ${d.count}`).join(", ")),
    `<ul>${p.examples.map((e) => `<li>${highlight(e.text, e.match, esc, "<mark>", "</mark>")} <span class="muted">(${esc(directionText(e.predicted, e.gold))})</span></li>`).join("")}</ul>`,
  ]);
  return `<h3>错误模式 Error patterns</h3>${intro}${table(["#", "pattern", "support", "errors", "error rate", "lift", "z", "direction", "examples"], rows)}`;
}

function candidateSection(task: TaskReport): string {
  const skipped = task.skippedStrategies
    .map((s) => `<li>策略 <b>${esc(s.strategy)}</b> 未提出候选 proposed nothing: ${esc(s.reason)}</li>`)
    .join("");
  return `<h3>候选 Candidates</h3>${task.candidates.map(candidateBlock).join("")}${skipped === "" ? "" : `<ul>${skipped}</ul>`}`;
}

function candidateBlock({ candidate, replay, gate }: ReportCandidate): string {
  if (gate !== undefined) return chatCandidateBlock(candidate, gate);
  const verdict =
    replay === null
      ? '<span class="muted">未回放 not replayed</span>'
      : `<span class="${replay.pass ? "pass" : "fail"}">${replay.pass ? "通过 pass" : "未通过 fail"}</span> — ${esc(replayReasonZh(replay))}<br>${esc(replay.reason)}`;
  const stats =
    replay === null
      ? ""
      : `<li>held-out accuracy ${percent(replay.stats.heldOut.currentAccuracy)} → ${percent(replay.stats.heldOut.candidateAccuracy)} (n = ${replay.stats.heldOut.n}); ` +
        `slice ${percent(replay.stats.slice.currentAccuracy)} → ${percent(replay.stats.slice.candidateAccuracy)} (n = ${replay.stats.slice.n}); ` +
        `broken ${replay.stats.regression.brokenByCandidate}/${replay.stats.regression.n}; McNemar p(worse) ${fixed(replay.stats.pWorse, 4)}, p(better) ${fixed(replay.stats.pBetter, 4)}</li>` +
        (replay.stats.namedSets ?? []).map((set) => `<li>${esc(describeNamedSet(set))}</li>`).join("");
  return [
    `<h4>${esc(candidate.strategy)}</h4><ul>`,
    ...candidate.changes.map((change) => `<li>${esc(change)}</li>`),
    `<li>理由 Why: ${esc(candidate.rationale)}</li><li>Replay: ${verdict}</li>${stats}</ul>`,
    `<pre>${esc(candidate.systemPrompt)}</pre>`,
    promptExtras(candidate),
  ].join("");
}

function chatCandidateBlock(candidate: CandidatePrompt, gate: GeneratorGateResult | null): string {
  const verdict =
    gate === null
      ? '<span class="muted">not replayed</span>'
      : `<span class="${gate.pass ? "pass" : "fail"}">${gate.pass ? "pass" : "fail"}</span> — ${esc(gate.reason)}`;
  const figures =
    gate === null
      ? ""
      : generatorGateLines(gate)
          .map((line) => `<li>${esc(line)}</li>`)
          .join("");
  return [
    `<h4>${esc(candidate.strategy)}</h4><ul>`,
    ...candidate.changes.map((change) => `<li>${esc(change)}</li>`),
    `<li>理由 Why: ${esc(candidate.rationale)}</li><li>Gate: ${verdict}</li>${figures}</ul>`,
    `<pre>${esc(candidate.systemPrompt)}</pre>`,
  ].join("");
}

function promptExtras(candidate: CandidatePrompt): string {
  let html = "";
  if (candidate.fewShot !== undefined && candidate.fewShot.length > 0) {
    html += `<p>Few-shot:</p><ul>${candidate.fewShot.map((e) => `<li>${esc(e.input)} → ${esc(e.label)}</li>`).join("")}</ul>`;
  }
  if (candidate.retrieval !== undefined) {
    const r = candidate.retrieval;
    html += `<p>Retrieval: ${esc(r.method)} (${esc(r.tokenizer)}), k = ${r.k}, k1 = ${r.k1}, b = ${r.b}, min score ${r.minScore}, pool of ${r.pool.length}</p>`;
  }
  return html;
}
