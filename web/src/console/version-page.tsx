import { useCallback, useEffect, useState, type FormEvent } from "react";
import { ApiError } from "../api/api-error.js";
import { dateTimeFormatter } from "../dashboard/chart-format.js";
import { useI18n } from "../i18n/locale-context.js";
import { labelMoveReasonIn } from "../i18n/label-move-words.js";
import { consoleApi, type LabelMoveView, type VersionDiff, type VersionView } from "./console-api.js";
import { useConsoleWords } from "./console-words.js";
import { useOperator } from "./operator-gate.js";
import { usePlaygroundWords } from "./playground-words.js";
import { sideBySideRows } from "./side-by-side.js";

type VersionAction = "start-canary" | "promote" | "rollback" | "retire";

/** The actions that make sense for a version in its status. */
function actionsFor(status: string): VersionAction[] {
  if (status === "draft") return ["start-canary", "retire"];
  if (status === "canary") return ["promote", "rollback"];
  if (status === "pending_retirement") return ["rollback", "retire"];
  return [];
}

/** One version, every field; its label history; the actions its status allows; a side-by-side diff. */
export function VersionPage({ versionId }: { versionId: string }) {
  const { request } = useOperator();
  const { t, locale } = useI18n();
  const w = useConsoleWords();
  const pw = usePlaygroundWords();
  const [data, setData] = useState<{
    version: VersionView;
    moves: LabelMoveView[];
    others: VersionView[];
  } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [compareWith, setCompareWith] = useState<string>("");
  const [diff, setDiff] = useState<{ diff: VersionDiff; left: VersionView } | null>(null);
  const explain = useCallback(
    (error: unknown) =>
      setProblem(error instanceof ApiError ? t.errorMessage(error.code, error.message) : String(error)),
    [t],
  );
  const load = useCallback(async () => {
    const [shown, all] = await Promise.all([
      consoleApi.version(request, versionId),
      consoleApi.versions(request),
    ]);
    const others = all.filter((other) => other.id !== versionId && other.task === shown.version.task);
    setData({ ...shown, others });
    setCompareWith((current) => current || shown.version.parentId || others[0]?.id || "");
  }, [request, versionId]);
  useEffect(() => {
    setDiff(null);
    load().catch(explain);
  }, [load, explain]);

  const showDiff = async () => {
    if (!compareWith) return;
    try {
      const [result, left] = await Promise.all([
        consoleApi.diff(request, compareWith, versionId),
        consoleApi.version(request, compareWith),
      ]);
      setDiff({ diff: result, left: left.version });
    } catch (error) {
      explain(error);
    }
  };

  if (problem && !data)
    return (
      <p className="error-box" role="alert">
        {problem}
      </p>
    );
  if (!data) return <p className="muted">{t.loading}</p>;
  const { version, moves } = data;
  const formatTime = dateTimeFormatter(t.htmlLang);
  const fields: [string, string][] = [
    [w.status, w.statusName(version.status)],
    [w.labelsNow, version.labels.join(", ") || "–"],
    [w.parent, version.parentId ?? "–"],
    [w.source, version.source],
    [w.classLabels, version.definition.labels?.join(" / ") ?? "–"],
    [w.params, JSON.stringify(version.definition.params ?? {})],
    [
      w.retrieval,
      version.definition.retrieval === undefined ? "–" : JSON.stringify(version.definition.retrieval),
    ],
    [w.changelog, JSON.stringify(version.changelog)],
    [w.created, formatTime(version.createdAt)],
    [w.contentHash, version.contentHash.slice(0, 12)],
  ];
  return (
    <article aria-labelledby="version-heading" data-testid="version-page" data-status={version.status}>
      <p>
        <a href="#/console/versions">← {w.tabVersions}</a>
      </p>
      <h2 id="version-heading">{version.id}</h2>
      {problem && (
        <p className="error-box" role="alert">
          {problem}
        </p>
      )}
      <p className="console__toolbar">
        <a href={`#/console/versions/${encodeURIComponent(version.id)}/new`} data-testid="version-derive">
          {pw.deriveVersion}
        </a>
        <a href={`#/console/playground/${encodeURIComponent(version.id)}`} data-testid="version-try">
          {pw.tryInPlayground}
        </a>
      </p>
      <dl className="console__fields">
        {fields.map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <h3>{w.systemPrompt}</h3>
      <pre className="console__prompt" data-testid="version-system">
        {version.definition.systemPrompt}
      </pre>
      <h3>{w.fewShot(version.definition.fewShot?.length ?? 0)}</h3>
      {(version.definition.fewShot?.length ?? 0) > 0 && (
        <ul data-testid="version-few-shot">
          {version.definition.fewShot!.map((example, index) => (
            <li key={index}>
              {example.input} → <strong>{example.label}</strong>
            </li>
          ))}
        </ul>
      )}
      <VersionActions
        actions={actionsFor(version.status)}
        onAction={async (action, reason, force) => {
          setProblem(null);
          try {
            await consoleApi.versionAction(request, version.id, action, reason, force);
            await load();
          } catch (error) {
            if (error instanceof ApiError && error.code === "EVIDENCE_INSUFFICIENT") return "needs_force";
            explain(error);
          }
          return "done";
        }}
      />
      <h3>{w.labelHistory}</h3>
      {moves.length === 0 ? (
        <p className="muted">–</p>
      ) : (
        <table className="table" data-testid="version-moves">
          <thead>
            <tr>
              <th scope="col">{w.when}</th>
              <th scope="col">{w.label}</th>
              <th scope="col">{w.move}</th>
              <th scope="col">{w.actor}</th>
              <th scope="col">{w.reason}</th>
            </tr>
          </thead>
          <tbody>
            {moves.map((move, index) => (
              <tr key={index}>
                <td>{formatTime(new Date(move.createdAt).toISOString())}</td>
                <td>{move.label}</td>
                <td>
                  {move.fromVersionId ?? "–"} → {move.toVersionId ?? "–"}
                </td>
                <td>{move.actor}</td>
                <td>{labelMoveReasonIn(locale, move)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{w.compare}</h3>
      <div className="console__toolbar">
        <label htmlFor="compare-with">{w.compareWith}</label>
        <select
          id="compare-with"
          className="input"
          data-testid="diff-against"
          value={compareWith}
          onChange={(event) => setCompareWith(event.target.value)}
        >
          {data.others.map((other) => (
            <option key={other.id} value={other.id}>
              {other.id} ({w.statusName(other.status)})
            </option>
          ))}
        </select>
        <button type="button" className="button" data-testid="diff-show" onClick={() => void showDiff()}>
          {w.showDiff}
        </button>
      </div>
      {diff && <SideBySide diff={diff.diff} left={diff.left} right={version} />}
    </article>
  );
}

function SideBySide({ diff, left, right }: { diff: VersionDiff; left: VersionView; right: VersionView }) {
  const w = useConsoleWords();
  const rows = sideBySideRows(left.definition.systemPrompt, right.definition.systemPrompt);
  return (
    <div data-testid="version-diff">
      {diff.sameBehaviour && <p className="muted">{w.sameBehaviour}</p>}
      <table className="table console__diff">
        <caption>{w.systemPrompt}</caption>
        <thead>
          <tr>
            <th scope="col">{left.id}</th>
            <th scope="col">{right.id}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={index} className={`diff-row diff-row--${row.kind}`} data-kind={row.kind}>
              <td>
                {row.kind !== "same" && row.left !== null && (
                  <span className="visually-hidden">{w.removedLine} </span>
                )}
                {row.left ?? ""}
              </td>
              <td>
                {row.kind !== "same" && row.right !== null && (
                  <span className="visually-hidden">{w.addedLine} </span>
                )}
                {row.right ?? ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {diff.changedFields.length > 0 && (
        <table className="table" data-testid="version-diff-fields">
          <caption>{w.otherChanges}</caption>
          <thead>
            <tr>
              <th scope="col">{w.field}</th>
              <th scope="col">{left.id}</th>
              <th scope="col">{right.id}</th>
            </tr>
          </thead>
          <tbody>
            {diff.changedFields.map((field) => (
              <tr key={field.field}>
                <th scope="row">{field.field}</th>
                <td>
                  <pre>{JSON.stringify(field.from, null, 1)}</pre>
                </td>
                <td>
                  <pre>{JSON.stringify(field.to, null, 1)}</pre>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** A button per allowed action; each asks for the reason recorded with the move (and the operator's name). */
function VersionActions({
  actions,
  onAction,
}: {
  actions: VersionAction[];
  /** "needs_force": the server wants an explicit "promote without evidence" (409 EVIDENCE_INSUFFICIENT). */
  onAction: (action: VersionAction, reason: string, force: boolean) => Promise<"done" | "needs_force">;
}) {
  const w = useConsoleWords();
  const [pending, setPending] = useState<VersionAction | null>(null);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [needsForce, setNeedsForce] = useState(false);
  const [force, setForce] = useState(false);
  if (actions.length === 0) return null;
  const choose = (action: VersionAction) => {
    setPending(action);
    setNeedsForce(false);
    setForce(false);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!pending || reason.trim() === "" || (needsForce && !force)) return;
    setBusy(true);
    try {
      if ((await onAction(pending, reason.trim(), needsForce && force)) === "needs_force") {
        setNeedsForce(true);
        return;
      }
      setPending(null);
      setReason("");
      setNeedsForce(false);
      setForce(false);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-label={w.actions} className="console__toolbar">
      {actions.map((action) => (
        <button
          key={action}
          type="button"
          className="button"
          data-testid={`version-action-${action}`}
          onClick={() => choose(action)}
        >
          {w.actionName(action)}
        </button>
      ))}
      {pending && (
        <form onSubmit={(event) => void submit(event)} className="console__toolbar">
          <label htmlFor="action-reason">{w.reasonFor(w.actionName(pending))}</label>
          <input
            id="action-reason"
            className="input"
            data-testid="version-action-reason"
            value={reason}
            required
            maxLength={1000}
            onChange={(event) => setReason(event.target.value)}
          />
          {needsForce && (
            <p role="alert" data-testid="version-action-no-evidence">
              {w.noEvidence}{" "}
              <label>
                <input
                  type="checkbox"
                  data-testid="version-action-force"
                  checked={force}
                  onChange={(event) => setForce(event.target.checked)}
                />{" "}
                {w.promoteWithoutEvidence}
              </label>
            </p>
          )}
          <button
            type="submit"
            className="button button--primary"
            data-testid="version-action-confirm"
            disabled={busy || (needsForce && !force)}
          >
            {w.confirm}
          </button>
        </form>
      )}
    </section>
  );
}
