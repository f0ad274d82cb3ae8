import { useId, useState, type FormEvent } from "react";
import { useConsoleWords } from "./console-words.js";

/**
 * Asks for an admin token and, for the shared ADMIN_TOKEN, the operator's name (recorded with every action).
 * `problem` explains why it is asked again (wrong token, expired session, admin disabled).
 */
export function SignInForm({
  onSubmit,
  problem,
}: {
  onSubmit: (credentials: { token: string; name?: string }) => Promise<void>;
  problem: string | null;
}) {
  const words = useConsoleWords();
  const [token, setToken] = useState("");
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const id = useId();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (token.trim() === "" || busy) return;
    setBusy(true);
    try {
      await onSubmit({ token: token.trim(), ...(name.trim() !== "" && { name: name.trim() }) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="token-form" onSubmit={(event) => void submit(event)} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{words.signInTitle}</h2>
      <label htmlFor={`${id}-token`}>{words.tokenLabel}</label>
      <input
        id={`${id}-token`}
        type="password"
        autoComplete="current-password"
        className="input"
        data-testid="dashboard-token-input"
        value={token}
        aria-describedby={`${id}-hint`}
        aria-invalid={problem !== null}
        onChange={(event) => setToken(event.target.value)}
      />
      <label htmlFor={`${id}-name`}>{words.nameLabel}</label>
      <input
        id={`${id}-name`}
        type="text"
        autoComplete="username"
        className="input"
        data-testid="sign-in-name"
        maxLength={40}
        value={name}
        onChange={(event) => setName(event.target.value)}
      />
      <button
        type="submit"
        className="button button--primary"
        data-testid="dashboard-token-submit"
        disabled={busy}
      >
        {words.signIn}
      </button>
      <p id={`${id}-hint`} className="muted">
        {words.signInHint}
      </p>
      {problem && (
        <p className="error-box" role="alert" data-testid="dashboard-error">
          {problem}
        </p>
      )}
    </form>
  );
}
