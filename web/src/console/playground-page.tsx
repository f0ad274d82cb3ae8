import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { ApiError } from "../api/api-error.js";
import { useI18n } from "../i18n/locale-context.js";
import { consoleApi, type VersionView } from "./console-api.js";
import { useConsoleWords } from "./console-words.js";
import { useOperator } from "./operator-gate.js";
import { PlaygroundResults, PlaygroundSummaryLine } from "./playground-results.js";
import {
  runPlaygroundStream,
  type PlaygroundRow,
  type PlaygroundStart,
  type PlaygroundSummary,
} from "./playground-run.js";
import {
  inputsFromLines,
  inputsOfPattern,
  inputsOfRegressionSet,
  latestMisclassified,
  latestPatterns,
  regressionSetsOf,
  type PlaygroundInput,
  type RegressionSetListing,
  type ReportPattern,
  type SetSource,
} from "./playground-sets.js";
import { usePlaygroundWords } from "./playground-words.js";

type SourceKind = SetSource["kind"];

interface RunState {
  start: PlaygroundStart | null;
  rows: PlaygroundRow[];
  summary: PlaygroundSummary | null;
  running: boolean;
}

const idle: RunState = { start: null, rows: [], summary: null, running: false };

/**
 * The playground: a version (a draft, or any) beside the active one or another, on typed inputs or a saved set,
 * row by row as the server streams them, with the agreement and, for labelled sets, each version's accuracy.
 */
export function PlaygroundPage({ versionId }: { versionId: string | null }) {
  const { request } = useOperator();
  const { t } = useI18n();
  const w = usePlaygroundWords();
  const cw = useConsoleWords();
  const [versions, setVersions] = useState<VersionView[] | null>(null);
  const [candidateId, setCandidateId] = useState(versionId ?? "");
  const [baselineId, setBaselineId] = useState("");
  const [source, setSource] = useState<SourceKind>("typed");
  const [typed, setTyped] = useState("");
  const [saved, setSaved] = useState<PlaygroundInput[]>([]);
  const [patterns, setPatterns] = useState<ReportPattern[]>([]);
  const [patternId, setPatternId] = useState("");
  const [regressionSets, setRegressionSets] = useState<RegressionSetListing[]>([]);
  const [regressionSetId, setRegressionSetId] = useState("");
  const [savedTruncated, setSavedTruncated] = useState(false);
  const [run, setRun] = useState<RunState>(idle);
  const [problem, setProblem] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  const explain = useCallback(
    (error: unknown) =>
      setProblem(error instanceof ApiError ? t.errorMessage(error.code, error.message) : String(error)),
    [t],
  );

  useEffect(() => {
    consoleApi.versions(request).then((all) => {
      setVersions(all);
      setCandidateId((current) => current || all.find((v) => v.status === "draft")?.id || all[0]?.id || "");
    }, explain);
  }, [request, explain]);
  useEffect(() => () => abort.current?.abort(), []);

  const candidate = versions?.find((v) => v.id === candidateId);
  const task = candidate?.task ?? "";
  const siblings = versions?.filter((v) => v.task === task) ?? [];
  const active = siblings.find((v) => v.status === "active");

  // A saved set is loaded when it is chosen (and again for another task).
  const kind = candidate?.kind;
  useEffect(() => {
    setSaved([]);
    setSavedTruncated(false);
    if (!task || source === "typed") return;
    if (source === "regression") {
      if (kind !== "classifier") {
        setRegressionSets([]);
        return;
      }
      regressionSetsOf(request, task).then((sets) => {
        setRegressionSets(sets);
        setRegressionSetId(sets[0]?.id ?? "");
      }, explain);
      return;
    }
    if (source === "misclassified") latestMisclassified(request, task).then(setSaved, explain);
    if (source === "pattern")
      latestPatterns(request, task).then((found) => {
        setPatterns(found);
        setPatternId(found[0]?.id ?? "");
      }, explain);
  }, [request, task, kind, source, explain]);
  useEffect(() => {
    if (source !== "regression" || !regressionSetId) return;
    inputsOfRegressionSet(request, regressionSetId).then(({ inputs: items, truncated }) => {
      setSaved(items);
      setSavedTruncated(truncated);
    }, explain);
  }, [request, source, regressionSetId, explain]);
  const pattern = patterns.find((p) => p.id === patternId);

  const typedInputs = inputsFromLines(typed);
  const inputs =
    source === "typed"
      ? typedInputs.inputs
      : source === "pattern" && pattern
        ? inputsOfPattern(pattern)
        : saved;

  const start = async (event: FormEvent) => {
    event.preventDefault();
    if (!candidateId) return;
    if (inputs.length === 0) {
      setProblem(w.noInputs);
      return;
    }
    setProblem(null);
    const controller = new AbortController();
    abort.current = controller;
    setRun({ ...idle, running: true });
    try {
      await runPlaygroundStream(
        request,
        { versionId: candidateId, ...(baselineId && { baselineId }), inputs },
        {
          onStart: (begun) => setRun((state) => ({ ...state, start: begun })),
          onRow: (row, summary) => setRun((state) => ({ ...state, rows: [...state.rows, row], summary })),
          onSummary: (summary) => setRun((state) => ({ ...state, summary })),
        },
        controller.signal,
      );
    } catch (error) {
      if (!controller.signal.aborted) explain(error);
    } finally {
      setRun((state) => ({ ...state, running: false }));
    }
  };

  if (versions === null)
    return problem ? (
      <p className="error-box" role="alert">
        {problem}
      </p>
    ) : (
      <p className="muted">{t.loading}</p>
    );
  return (
    <section aria-labelledby="playground-heading" data-testid="playground">
      <h2 id="playground-heading">{w.playgroundTitle}</h2>
      <p className="muted">{w.playgroundHint}</p>
      <form onSubmit={(event) => void start(event)} className="console__form">
        <label htmlFor="playground-candidate">{w.candidate}</label>
        <select
          id="playground-candidate"
          className="input"
          data-testid="playground-candidate"
          value={candidateId}
          onChange={(event) => {
            setCandidateId(event.target.value);
            setBaselineId("");
          }}
        >
          {versions.map((v) => (
            <option key={v.id} value={v.id}>
              {v.id} ({cw.statusName(v.status)})
            </option>
          ))}
        </select>
        <label htmlFor="playground-baseline">{w.baseline}</label>
        <select
          id="playground-baseline"
          className="input"
          data-testid="playground-baseline"
          value={baselineId}
          onChange={(event) => setBaselineId(event.target.value)}
        >
          {active && <option value="">{`${active.id} (${cw.statusName("active")})`}</option>}
          {siblings
            .filter((v) => v.id !== active?.id)
            .map((v) => (
              <option key={v.id} value={v.id}>
                {v.id} ({cw.statusName(v.status)})
              </option>
            ))}
        </select>
        <label htmlFor="playground-source">{w.source}</label>
        <select
          id="playground-source"
          className="input"
          data-testid="playground-source"
          value={source}
          onChange={(event) => setSource(event.target.value as SourceKind)}
        >
          <option value="typed">{w.sourceTyped}</option>
          <option value="misclassified">{w.sourceMisclassified}</option>
          <option value="pattern">{w.sourcePattern}</option>
          <option value="regression">{w.sourceRegression}</option>
        </select>
        {source === "typed" && (
          <>
            <label htmlFor="playground-inputs">{w.typedLabel}</label>
            <textarea
              id="playground-inputs"
              className="input console__textarea"
              data-testid="playground-inputs"
              rows={6}
              value={typed}
              onChange={(event) => setTyped(event.target.value)}
            />
            {typedInputs.truncated && <p className="muted">{w.tooMany}</p>}
          </>
        )}
        {source === "pattern" && patterns.length > 0 && (
          <>
            <label htmlFor="playground-pattern">{w.patternLabel}</label>
            <select
              id="playground-pattern"
              className="input"
              data-testid="playground-pattern"
              value={patternId}
              onChange={(event) => setPatternId(event.target.value)}
            >
              {patterns.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.title} ({p.examples.length})
                </option>
              ))}
            </select>
          </>
        )}
        {source === "pattern" && patterns.length === 0 && <p className="muted">{w.noPatterns}</p>}
        {source === "misclassified" && saved.length === 0 && <p className="muted">{w.noMisclassified}</p>}
        {source === "regression" && regressionSets.length > 0 && (
          <>
            <label htmlFor="playground-regression-set">{w.regressionSetLabel}</label>
            <select
              id="playground-regression-set"
              className="input"
              data-testid="playground-regression-set"
              value={regressionSetId}
              onChange={(event) => setRegressionSetId(event.target.value)}
            >
              {regressionSets.map((set) => (
                <option key={set.id} value={set.id}>
                  {set.name} ({set.items})
                </option>
              ))}
            </select>
          </>
        )}
        {source === "regression" && regressionSets.length === 0 && (
          <p className="muted">{w.noRegressionSets}</p>
        )}
        {savedTruncated && <p className="muted">{w.tooMany}</p>}
        <p className="muted" data-testid="playground-set-size">
          {w.setSize(inputs.length)}
        </p>
        <div className="console__toolbar">
          <button
            type="submit"
            className="button button--primary"
            data-testid="playground-run"
            disabled={run.running || !candidateId}
          >
            {w.run}
          </button>
          {run.running && (
            <>
              <span role="status" data-testid="playground-progress">
                {w.running(run.rows.length, run.start?.total ?? inputs.length)}
              </span>
              <button type="button" className="button" onClick={() => abort.current?.abort()}>
                {w.stop}
              </button>
            </>
          )}
        </div>
      </form>
      {problem && (
        <p className="error-box" role="alert" data-testid="playground-problem">
          {problem}
        </p>
      )}
      {run.start && run.summary && <PlaygroundSummaryLine start={run.start} summary={run.summary} />}
      {run.start && <PlaygroundResults start={run.start} rows={run.rows} />}
    </section>
  );
}
