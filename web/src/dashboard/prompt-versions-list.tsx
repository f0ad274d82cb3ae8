import { useMemo } from "react";
import { useI18n } from "../i18n/locale-context.js";
import { dateTimeFormatter } from "./chart-format.js";
import type { PromptVersionRow } from "./dashboard-data.js";

/** The prompt versions, read-only, each with its system prompt behind a disclosure. */
export function PromptVersionsList({ versions }: { versions: readonly PromptVersionRow[] }) {
  const { t } = useI18n();
  const formatTime = useMemo(() => dateTimeFormatter(t.htmlLang), [t]);
  if (versions.length === 0) return <p className="muted">{t.versionsEmpty}</p>;
  return (
    <ul className="versions" data-testid="prompt-versions">
      {versions.map((version) => (
        <li key={version.id} className="version" data-status={version.status}>
          <div className="version__head">
            <strong className="version__id">{version.id}</strong>
            <span className={`badge badge--${version.status}`}>
              <span className="sr-only">{t.columnStatus}: </span>
              {t.versionStatus(version.status)}
            </span>
            <span className="muted">
              {t.columnSource}: {t.versionSource(version.source)} · {t.columnCreated}:{" "}
              {formatTime(version.createdAt)}
            </span>
          </div>
          <details>
            <summary>{t.systemPrompt}</summary>
            <pre className="version__prompt">{version.systemPrompt}</pre>
          </details>
        </li>
      ))}
    </ul>
  );
}
