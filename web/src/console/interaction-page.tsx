import { useEffect, useState, type FormEvent } from "react";
import { ApiError } from "../api/api-error.js";
import { dateTimeFormatter } from "../dashboard/chart-format.js";
import { useI18n } from "../i18n/locale-context.js";
import { ExpectedLabel } from "./expected-label.js";
import { useOperator } from "./operator-gate.js";
import { triageApi, type InteractionDetail, type RegressionSetSummary } from "./triage-api.js";
import { useTriageWords } from "./triage-words.js";

const newSetChoice = "__new__";

/** One interaction: input, version, output, verdict, every feedback event, and "add to regression set". */
export function InteractionPage({ interactionId }: { interactionId: string }) {
  const { request } = useOperator();
  const { t } = useI18n();
  const w = useTriageWords();
  const [detail, setDetail] = useState<InteractionDetail | null>(null);
  const [sets, setSets] = useState<RegressionSetSummary[]>([]);
  const [choice, setChoice] = useState(newSetChoice);
  const [newName, setNewName] = useState("");
  const [expected, setExpected] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const explain = (error: unknown) =>
    setProblem(error instanceof ApiError ? t.errorMessage(error.code, error.message) : String(error));
  const load = async () => {
    const view = await triageApi.interaction(request, interactionId);
    setDetail(view);
    const taskSets = await triageApi.sets(request, view.interaction.task);
    setSets(taskSets);
    if (taskSets[0]) setChoice((current) => (current === newSetChoice ? taskSets[0]!.id : current));
  };
  useEffect(() => {
    load().catch(explain);
  }, [request, interactionId]);

  const add = async (event: FormEvent) => {
    event.preventDefault();
    if (!detail) return;
    setProblem(null);
    setNotice(null);
    try {
      const set =
        choice === newSetChoice
          ? await triageApi.createSet(request, detail.interaction.task, newName)
          : sets.find((candidate) => candidate.id === choice)!;
      await triageApi.putItem(request, set.id, interactionId, expected || undefined);
      setChoice(set.id);
      setNewName("");
      setNotice(w.added(set.name));
      await load();
    } catch (error) {
      explain(error);
    }
  };

  const formatTime = dateTimeFormatter(t.htmlLang);
  if (detail === null)
    return problem ? (
      <p className="error-box" role="alert">
        {problem}
      </p>
    ) : (
      <p className="muted">{t.loading}</p>
    );
  const { interaction, judgement } = detail;
  return (
    <section aria-labelledby="interaction-heading" className="interaction">
      <p>
        <a href="#/console/triage">{w.backToTriage}</a>
      </p>
      <h2 id="interaction-heading">{w.interactionTitle(interaction.id)}</h2>
      <p className="muted">{w.maskedNote}</p>
      <dl className="interaction__fields" data-testid="interaction-fields">
        <dt>{w.time}</dt>
        <dd>{formatTime(interaction.createdAt)}</dd>
        <dt>{w.version}</dt>
        <dd>
          <a href={`#/console/versions/${encodeURIComponent(interaction.promptVersionId)}`}>
            {interaction.promptVersionId}
          </a>
        </dd>
        <dt>{w.input}</dt>
        <dd data-testid="interaction-input">{interaction.input}</dd>
        <dt>{w.output}</dt>
        <dd>{interaction.output ?? "—"}</dd>
        <dt>{w.confidence}</dt>
        <dd>{interaction.confidence === null ? "—" : interaction.confidence.toFixed(2)}</dd>
        <dt>{w.verdict}</dt>
        <dd>
          {judgement === null ? (
            w.noVerdict
          ) : (
            <>
              {judgement.correct ? w.verdictRight : w.verdictWrong} ·{" "}
              <ExpectedLabel label={judgement.expectedLabel} source={judgement.expectedLabelSource} />
            </>
          )}
        </dd>
        <dt>{w.session}</dt>
        <dd>{interaction.sessionHash ?? "—"}</dd>
      </dl>
      <h3>{w.events}</h3>
      {detail.events.length === 0 ? (
        <p>{w.noEvents}</p>
      ) : (
        <ol data-testid="interaction-events">
          {detail.events.map((event) => (
            <li key={event.id}>
              {formatTime(event.createdAt)} · {w.eventTypes[event.type] ?? event.type} ·{" "}
              <span className={`signal signal--${event.signal}`}>
                {event.signal === "explicit" ? w.explicit : w.implicit}
              </span>{" "}
              <code>{JSON.stringify(event.payload)}</code>
            </li>
          ))}
        </ol>
      )}
      <h3>{w.inSets}</h3>
      <ul data-testid="interaction-sets">
        {detail.regressionSets.map((set) => (
          <li key={set.id}>
            <a href={`#/console/regression-sets/${encodeURIComponent(set.id)}`}>{set.name}</a>
          </li>
        ))}
      </ul>
      <form className="triage__filters" onSubmit={(event) => void add(event)} aria-label={w.addToSet}>
        <label>
          {w.chooseSet}
          <select name="set" value={choice} onChange={(event) => setChoice(event.target.value)}>
            {sets.map((set) => (
              <option key={set.id} value={set.id}>
                {set.name}
              </option>
            ))}
            <option value={newSetChoice}>{w.newSet}</option>
          </select>
        </label>
        {choice === newSetChoice && (
          <label>
            {w.newSetName}
            <input
              name="setName"
              required
              value={newName}
              onChange={(event) => setNewName(event.target.value)}
            />
          </label>
        )}
        <label>
          {w.expectedFor}
          <select name="expectedLabel" value={expected} onChange={(event) => setExpected(event.target.value)}>
            <option value="">{w.expectedFromFeedback}</option>
            {(detail.version?.labels ?? []).map((label) => (
              <option key={label} value={label}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{w.addToSet}</button>
      </form>
      {notice && <p role="status">{notice}</p>}
      {problem && (
        <p className="error-box" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
