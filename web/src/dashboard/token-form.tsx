import { useId, useState, type FormEvent } from "react";
import { useI18n } from "../i18n/locale-context.js";

/** Asks for the admin token; `problem` explains why it is asked again (wrong token, admin disabled). */
export function TokenForm({
  onSubmit,
  problem,
}: {
  onSubmit: (token: string) => void;
  problem: string | null;
}) {
  const { t } = useI18n();
  const [token, setToken] = useState("");
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim() !== "") onSubmit(token.trim());
  };
  return (
    <form className="token-form" onSubmit={submit}>
      <label htmlFor={id}>{t.tokenLabel}</label>
      <div className="token-form__row">
        <input
          id={id}
          type="password"
          autoComplete="current-password"
          className="input"
          data-testid="dashboard-token-input"
          value={token}
          aria-describedby={`${id}-hint`}
          aria-invalid={problem !== null}
          onChange={(event) => setToken(event.target.value)}
        />
        <button type="submit" className="button button--primary" data-testid="dashboard-token-submit">
          {t.tokenSubmit}
        </button>
      </div>
      <p id={`${id}-hint`} className="muted">
        {t.tokenHint}
      </p>
      {problem && (
        <p className="error-box" role="alert" data-testid="dashboard-error">
          {problem}
        </p>
      )}
    </form>
  );
}
