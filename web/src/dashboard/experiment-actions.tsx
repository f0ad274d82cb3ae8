import { useId, useState, type FormEvent } from "react";
import { ApiError } from "../api/api-error.js";
import { useI18n } from "../i18n/locale-context.js";
import type { ExperimentRow } from "./dashboard-data.js";
import type { RolloutActionName } from "./rollout-actions.js";

export type RolloutActionRequest = { versionId: string; action: RolloutActionName; reason: string };

/**
 * Promote or roll back an experiment's candidate by hand, with a reason that goes into the rollout history. Two
 * steps (choose, then confirm with a reason) so that a stray click changes nothing.
 */
export function ExperimentActions({
  experiment,
  onAction,
}: {
  experiment: ExperimentRow;
  onAction: (request: RolloutActionRequest) => Promise<void>;
}) {
  const { t } = useI18n();
  const reasonId = useId();
  const [chosen, setChosen] = useState<RolloutActionName | null>(null);
  const [reason, setReason] = useState("");
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (chosen === null || reason.trim() === "") return;
    setPending(true);
    setFailure(null);
    onAction({ versionId: experiment.candidate, action: chosen, reason: reason.trim() }).then(
      () => {
        setPending(false);
        setChosen(null);
        setReason("");
      },
      (error: unknown) => {
        setPending(false);
        setFailure(error instanceof ApiError ? t.errorMessage(error.code, error.message) : String(error));
      },
    );
  };

  return (
    <div className="experiment__actions" role="group" aria-label={t.experimentActionsLabel}>
      {chosen === null ? (
        (["promote", "rollback"] as const).map((action) => (
          <button
            key={action}
            type="button"
            className={action === "promote" ? "button" : "button button--quiet"}
            data-testid={`experiment-${action}`}
            onClick={() => setChosen(action)}
          >
            {t.experimentAction(action)}
          </button>
        ))
      ) : (
        <form className="experiment__action-form" onSubmit={submit}>
          <label htmlFor={reasonId}>{t.experimentActionReason}</label>
          <input
            id={reasonId}
            className="input"
            data-testid="experiment-action-reason"
            value={reason}
            maxLength={500}
            required
            autoFocus
            onChange={(event) => setReason(event.target.value)}
          />
          <button
            type="submit"
            className="button"
            data-testid="experiment-action-confirm"
            disabled={pending || reason.trim() === ""}
          >
            {t.experimentActionConfirm(chosen, experiment.candidate)}
          </button>
          <button
            type="button"
            className="button button--quiet"
            disabled={pending}
            onClick={() => {
              setChosen(null);
              setFailure(null);
            }}
          >
            {t.cancel}
          </button>
        </form>
      )}
      {failure !== null && (
        <p className="error-box" role="alert" data-testid="experiment-action-error">
          {failure}
        </p>
      )}
    </div>
  );
}
