import { escapeHtml, escapeMarkdown } from "../core/report/escape-text.js";
import { renderReportHtml } from "../core/report/render-html.js";
import { renderReportMarkdown } from "../core/report/render-markdown.js";
import type { StoredReport } from "./stored-report.js";

/** The formats a report is stored and served in. */
export type ReportFormat = "json" | "md" | "html";
export const reportFormats: readonly ReportFormat[] = ["json", "md", "html"];

/** The lines of the "run" section, already escaped by `escape`. */
function runLines(report: StoredReport, escape: (text: string) => string): string[] {
  const { run, id } = report;
  const settings = run.settings;
  const replay = run.replay.enabled
    ? `${run.replay.calls} engine calls, ${run.replay.failures} failed, ${(run.replay.durationMs / 1000).toFixed(1)} s` +
      (run.replay.firstFailure === null ? "" : ` (first failure: ${run.replay.firstFailure})`)
    : "disabled: candidates were not scored, so nothing can be recommended (回放已关闭)";
  const drafts =
    run.drafts.length === 0
      ? ["none (未创建草稿)"]
      : run.drafts.map(
          (draft) =>
            `${draft.versionId} (${draft.task}, candidate ${draft.candidate}, parent ${draft.parentId}): ` +
            (draft.created
              ? "saved as a draft (已保存为草稿)"
              : "an identical version already exists (已存在相同版本)"),
        );
  return [
    `报告 report: ${id} · run #${run.runId} · trigger ${run.trigger}`,
    `回放 replay: ${replay}`,
    ...drafts.map((draft) => `草稿 draft: ${draft}`),
    `设置 settings: error-rate threshold ${settings.errorRateThreshold} (${settings.trigger}), min labelled ${settings.minLabelledSamples}, ` +
      `window ${settings.windowDays === 0 ? "all history" : `${settings.windowDays} days`}, holdout ${settings.holdoutFraction}, ` +
      `replay caps ${settings.replayMaxHeldOut} held-out / ${settings.replayMaxRegression} regression, ` +
      `min pattern support ${settings.minPatternSupport}, rewrite ${settings.rewrite ? "on" : "off"}`,
  ].map(escape);
}

/** Renders a stored report: the core's rendering plus a section on the run (drafts saved, replay cost, settings). */
export function renderStoredReport(report: StoredReport, format: ReportFormat): string {
  if (format === "json") return `${JSON.stringify(report, null, 2)}\n`;
  if (format === "md") {
    const section = [
      "## 运行信息 Run",
      "",
      ...runLines(report, escapeMarkdown).map((line) => `- ${line}`),
      "",
    ];
    return `${renderReportMarkdown(report).trimEnd()}\n\n${section.join("\n")}`;
  }
  const html = renderReportHtml(report);
  const section = `<h2>运行信息 Run</h2><ul>${runLines(report, escapeHtml)
    .map((line) => `<li>${line}</li>`)
    .join("")}</ul>\n`;
  const end = html.lastIndexOf("</body>");
  return end === -1 ? `${html}${section}` : `${html.slice(0, end)}${section}${html.slice(end)}`;
}
