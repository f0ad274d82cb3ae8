import { useEffect, useState, type FormEvent } from "react";
import { ApiError } from "../api/api-error.js";
import { useI18n } from "../i18n/locale-context.js";
import { consoleApi, type VersionView } from "./console-api.js";
import { useOperator } from "./operator-gate.js";
import { usePlaygroundWords } from "./playground-words.js";
import {
  createBodyOf,
  formFromParent,
  type FormProblem,
  type VersionFormState,
} from "./version-form-fields.js";

/**
 * Create a version derived from a parent: the form starts as the parent (system prompt, labels, few-shot
 * examples, params, retrieval) and needs a changelog. The server records the signed-in operator as its author.
 */
export function VersionForm({ parentId }: { parentId: string }) {
  const { request } = useOperator();
  const { t } = useI18n();
  const w = usePlaygroundWords();
  const [parent, setParent] = useState<VersionView | null>(null);
  const [form, setForm] = useState<VersionFormState | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    Promise.all([consoleApi.version(request, parentId), consoleApi.versions(request)]).then(
      ([shown, all]) => {
        setParent(shown.version);
        const names = all.filter((v) => v.task === shown.version.task).map((v) => v.version);
        setForm(formFromParent(shown.version, names));
      },
      (error: unknown) =>
        setProblem(error instanceof ApiError ? t.errorMessage(error.code, error.message) : String(error)),
    );
  }, [request, parentId, t]);

  const describe = (formProblem: FormProblem) =>
    formProblem.kind === "changelog"
      ? w.needsChangelog
      : w.notJson(formProblem.field === "params" ? w.params : w.retrieval);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!parent || !form) return;
    const built = createBodyOf(parent, form);
    if ("problem" in built) {
      setProblem(describe(built.problem));
      return;
    }
    setProblem(null);
    setBusy(true);
    try {
      const response = await request("/api/admin/prompts", {
        method: "POST",
        body: JSON.stringify(built.body),
      });
      const created = (await response.json()) as { version: VersionView };
      window.location.hash = `#/console/versions/${encodeURIComponent(created.version.id)}`;
    } catch (error) {
      if (error instanceof ApiError && error.code === "PROMPT_VERSION_UNCHANGED") setProblem(w.unchanged);
      else setProblem(error instanceof ApiError ? t.errorMessage(error.code, error.message) : String(error));
    } finally {
      setBusy(false);
    }
  };

  if (!form || !parent)
    return problem ? (
      <p className="error-box" role="alert">
        {problem}
      </p>
    ) : (
      <p className="muted">{t.loading}</p>
    );
  const set = (patch: Partial<VersionFormState>) => setForm({ ...form, ...patch });
  const setExample = (index: number, patch: Partial<{ input: string; label: string }>) =>
    set({ fewShot: form.fewShot.map((example, i) => (i === index ? { ...example, ...patch } : example)) });
  return (
    <form
      aria-labelledby="version-form-heading"
      className="console__form"
      data-testid="version-form"
      onSubmit={(event) => void submit(event)}
    >
      <p>
        <a href={`#/console/versions/${encodeURIComponent(parent.id)}`}>← {w.cancel}</a>
      </p>
      <h2 id="version-form-heading">{w.formTitle(parent.id)}</h2>
      <p className="muted">{w.formHint}</p>
      <label htmlFor="form-version">{w.versionName}</label>
      <input
        id="form-version"
        className="input"
        data-testid="form-version"
        required
        pattern="[A-Za-z0-9][A-Za-z0-9._\-]{0,63}"
        value={form.version}
        onChange={(event) => set({ version: event.target.value })}
      />
      <label htmlFor="form-system">{w.systemPrompt}</label>
      <textarea
        id="form-system"
        className="input console__textarea"
        data-testid="form-system"
        required
        rows={8}
        value={form.system}
        onChange={(event) => set({ system: event.target.value })}
      />
      {parent.definition.labels && (
        <>
          <label htmlFor="form-labels">{w.classLabels}</label>
          <input
            id="form-labels"
            className="input"
            data-testid="form-labels"
            value={form.labels}
            onChange={(event) => set({ labels: event.target.value })}
          />
        </>
      )}
      <fieldset data-testid="form-few-shot">
        <legend>{w.fewShot}</legend>
        {form.fewShot.map((example, index) => (
          <div key={index} className="console__toolbar">
            <input
              className="input"
              aria-label={`${w.exampleInput} ${index + 1}`}
              value={example.input}
              onChange={(event) => setExample(index, { input: event.target.value })}
            />
            <input
              className="input console__short"
              aria-label={`${w.exampleLabel} ${index + 1}`}
              value={example.label}
              onChange={(event) => setExample(index, { label: event.target.value })}
            />
            <button
              type="button"
              className="button"
              onClick={() => set({ fewShot: form.fewShot.filter((_, i) => i !== index) })}
            >
              {w.removeExample(index + 1)}
            </button>
          </div>
        ))}
        <button
          type="button"
          className="button"
          data-testid="form-add-example"
          onClick={() => set({ fewShot: [...form.fewShot, { input: "", label: "" }] })}
        >
          {w.addExample}
        </button>
      </fieldset>
      <label htmlFor="form-params">{w.params}</label>
      <textarea
        id="form-params"
        className="input console__textarea"
        rows={3}
        value={form.params}
        onChange={(event) => set({ params: event.target.value })}
      />
      <label htmlFor="form-retrieval">{w.retrieval}</label>
      <textarea
        id="form-retrieval"
        className="input console__textarea"
        rows={3}
        value={form.retrieval}
        onChange={(event) => set({ retrieval: event.target.value })}
      />
      <label htmlFor="form-description">{w.description}</label>
      <input
        id="form-description"
        className="input"
        maxLength={2000}
        value={form.description}
        onChange={(event) => set({ description: event.target.value })}
      />
      <label htmlFor="form-changelog">{w.changelog}</label>
      <textarea
        id="form-changelog"
        className="input console__textarea"
        data-testid="form-changelog"
        rows={2}
        value={form.changelog}
        onChange={(event) => set({ changelog: event.target.value })}
      />
      {problem && (
        <p className="error-box" role="alert" data-testid="form-problem">
          {problem}
        </p>
      )}
      <div className="console__toolbar">
        <button type="submit" className="button button--primary" data-testid="form-create" disabled={busy}>
          {busy ? w.creating : w.create}
        </button>
      </div>
    </form>
  );
}
