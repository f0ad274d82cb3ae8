import { useEffect, useState } from "react";
import { ApiError } from "../api/api-error.js";
import { dateTimeFormatter } from "../dashboard/chart-format.js";
import { useI18n } from "../i18n/locale-context.js";
import { consoleApi, type VersionView } from "./console-api.js";
import { useConsoleWords } from "./console-words.js";
import { useOperator } from "./operator-gate.js";

/** Every prompt version with what tells versions apart at a glance: labels, status, source, parent, few-shot count. */
export function VersionsView() {
  const { request } = useOperator();
  const { t } = useI18n();
  const w = useConsoleWords();
  const [versions, setVersions] = useState<VersionView[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    consoleApi
      .versions(request)
      .then(setVersions, (error: unknown) =>
        setProblem(error instanceof ApiError ? t.errorMessage(error.code, error.message) : String(error)),
      );
  }, [request, t]);
  const formatTime = dateTimeFormatter(t.htmlLang);
  if (problem)
    return (
      <p className="error-box" role="alert">
        {problem}
      </p>
    );
  if (versions === null) return <p className="muted">{t.loading}</p>;
  return (
    <section aria-labelledby="versions-heading">
      <h2 id="versions-heading">{w.tabVersions}</h2>
      <table className="table" data-testid="console-versions">
        <thead>
          <tr>
            <th scope="col">{w.version}</th>
            <th scope="col">{w.status}</th>
            <th scope="col">{w.source}</th>
            <th scope="col">{w.parent}</th>
            <th scope="col">{w.fewShotCount}</th>
            <th scope="col">{w.created}</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((version) => (
            <tr key={version.id} data-testid={`version-row-${version.id}`}>
              <td>
                <a href={`#/console/versions/${encodeURIComponent(version.id)}`}>{version.id}</a>
              </td>
              <td>{w.statusName(version.status)}</td>
              <td>{version.source}</td>
              <td>{version.parentId ?? "–"}</td>
              <td>{version.definition.fewShot?.length ?? 0}</td>
              <td>{formatTime(version.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
