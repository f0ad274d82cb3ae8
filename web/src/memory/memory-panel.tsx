import { useCallback, useEffect, useMemo, useState } from "react";
import { ApiError } from "../api/api-error.js";
import { useServices } from "../app-services.js";
import { useI18n } from "../i18n/locale-context.js";
import { useMemoryWords } from "../i18n/memory-words.js";
import {
  deleteMemoryEntry,
  fetchMemory,
  forgetAllMemory,
  setMemoryEnabled,
  type MemoryView,
} from "./memory-api.js";
import "./memory.css";

/**
 * 我记得…: what the server remembers about this session (docs/memory.md), each entry deletable, a forget-all and
 * the user's own on/off switch. `refreshKey` changes after every chat reply, which may have taught it something.
 */
export function MemoryPanel({ refreshKey }: { refreshKey: number }) {
  const services = useServices();
  const { t, locale } = useI18n();
  const words = useMemoryWords();
  const when = useMemo(
    () => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }),
    [locale],
  );
  const [view, setView] = useState<MemoryView | null>(null);
  /** A failed change is an alert; a failed load (also shown while the chat has its own alert) is not. */
  const [error, setError] = useState<{ text: string; alert: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);

  const showError = useCallback(
    (cause: unknown, alert: boolean) =>
      setError({
        text: cause instanceof ApiError ? t.errorMessage(cause.code, cause.message) : words.unavailable,
        alert,
      }),
    [t, words],
  );

  const reload = useCallback(
    (signal?: AbortSignal) =>
      fetchMemory(services.fetch, services.sessionId, signal).then(
        (next) => {
          setView(next);
          setError(null);
        },
        (cause: unknown) => {
          if (!signal?.aborted) showError(cause, false);
        },
      ),
    [services.fetch, services.sessionId, showError],
  );

  useEffect(() => {
    const abort = new AbortController();
    void reload(abort.signal);
    return () => abort.abort();
  }, [reload, refreshKey]);

  /** Runs a change, then shows the server's state (also after a failure, so the list never lies). */
  const change = async (action: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await action();
      await reload();
    } catch (cause) {
      await reload();
      showError(cause, true);
    } finally {
      setBusy(false);
    }
  };

  const entries = view?.entries ?? [];
  return (
    <details className="memory-panel" data-testid="memory-panel">
      <summary>
        {words.title} <span className="memory-panel__count">({entries.length})</span>
      </summary>
      <p className="memory-panel__intro">{words.intro}</p>
      {view && (
        <label className="memory-panel__switch">
          <input
            type="checkbox"
            role="switch"
            data-testid="memory-switch"
            checked={view.enabled}
            disabled={busy}
            onChange={(event) => {
              const enabled = event.currentTarget.checked;
              void change(() => setMemoryEnabled(services.fetch, services.sessionId, enabled));
            }}
          />
          {words.switchLabel}
          <span className="memory-panel__state" data-testid="memory-switch-state">
            {words.switchState(view.enabled, view.chosen)}
          </span>
        </label>
      )}
      {error && (
        <p
          role={error.alert ? "alert" : undefined}
          className="memory-panel__error"
          data-testid="memory-error"
        >
          {error.text}
        </p>
      )}
      {view && entries.length === 0 && <p data-testid="memory-empty">{words.empty}</p>}
      {entries.length > 0 && (
        <ul className="memory-panel__entries" aria-label={words.title}>
          {entries.map((entry) => (
            <li key={entry.id} data-testid="memory-entry" data-key={entry.key}>
              <span className="memory-panel__text">{entry.text}</span>
              <time dateTime={new Date(entry.createdAt).toISOString()} className="memory-panel__when">
                {words.remembered(when.format(entry.createdAt))}
              </time>
              <button
                type="button"
                className="button"
                data-testid="memory-delete"
                aria-label={words.deleteEntry(entry.text)}
                disabled={busy}
                onClick={() =>
                  void change(() => deleteMemoryEntry(services.fetch, services.sessionId, entry.id))
                }
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {entries.length > 0 &&
        (confirming ? (
          <p className="memory-panel__confirm">
            {words.confirmForgetAll}{" "}
            <button
              type="button"
              className="button"
              data-testid="memory-forget-confirm"
              disabled={busy}
              onClick={() => {
                setConfirming(false);
                void change(() => forgetAllMemory(services.fetch, services.sessionId));
              }}
            >
              {words.forgetAll}
            </button>{" "}
            <button type="button" className="button" onClick={() => setConfirming(false)}>
              {t.cancel}
            </button>
          </p>
        ) : (
          <button
            type="button"
            className="button"
            data-testid="memory-forget-all"
            disabled={busy}
            onClick={() => setConfirming(true)}
          >
            {words.forgetAll}
          </button>
        ))}
    </details>
  );
}
