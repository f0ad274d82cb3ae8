import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { ApiError, requestOk } from "../api/api-error.js";
import { useServices } from "../app-services.js";
import { useI18n } from "../i18n/locale-context.js";
import { dateTimeFormatter } from "../dashboard/chart-format.js";
import { useConsoleWords } from "./console-words.js";
import {
  adminRequestInit,
  fetchOperatorSession,
  signInOperator,
  signOutOperator,
  type OperatorSession,
} from "./operator-session.js";
import { SignInForm } from "./sign-in-form.js";

/** What pages behind the gate get: the session, an authenticated request, and sign-out. */
export interface OperatorContext {
  session: OperatorSession;
  /** An admin API request on the session; a 401 (expired session) sends the operator back to the sign-in form. */
  request: (url: string, init?: RequestInit) => Promise<Response>;
  signOut: () => Promise<void>;
}

const Context = createContext<OperatorContext | null>(null);

export function useOperator(): OperatorContext {
  const value = useContext(Context);
  if (!value) throw new Error("useOperator must be used inside <OperatorGate>");
  return value;
}

type GateState =
  | { state: "checking" }
  | { state: "signed-out"; problem: string | null }
  | { state: "signed-in"; session: OperatorSession };

/**
 * Shows the sign-in form until the browser holds a console session (an HttpOnly cookie the page can't read; the
 * server says whether it is there), then the pages inside with {@link useOperator}.
 */
export function OperatorGate({ heading, children }: { heading: ReactNode; children: ReactNode }) {
  const { fetch: fetchFn } = useServices();
  const { t } = useI18n();
  const words = useConsoleWords();
  const [gate, setGate] = useState<GateState>({ state: "checking" });

  useEffect(() => {
    const abort = new AbortController();
    fetchOperatorSession(fetchFn, abort.signal).then(
      (session) =>
        setGate(session ? { state: "signed-in", session } : { state: "signed-out", problem: null }),
      (error: unknown) => {
        if (abort.signal.aborted) return;
        setGate({ state: "signed-out", problem: describe(error) });
      },
    );
    return () => abort.abort();
  }, [fetchFn]);

  const describe = (error: unknown) =>
    error instanceof ApiError
      ? error.status === 401
        ? t.unauthorized
        : error.status === 403 && error.code === "ADMIN_DISABLED"
          ? t.adminDisabled
          : t.errorMessage(error.code, error.message)
      : String(error);

  const session = gate.state === "signed-in" ? gate.session : null;
  const request = useCallback(
    async (url: string, init?: RequestInit) => {
      if (!session) throw new ApiError("UNAUTHORIZED", "Not signed in", 401);
      try {
        return await requestOk(fetchFn, url, adminRequestInit(session, init));
      } catch (error) {
        if (error instanceof ApiError && error.status === 401)
          setGate({ state: "signed-out", problem: words.sessionExpired });
        throw error;
      }
    },
    [fetchFn, session, words.sessionExpired],
  );
  const signOut = useCallback(async () => {
    await signOutOperator(fetchFn).catch(() => undefined);
    setGate({ state: "signed-out", problem: null });
  }, [fetchFn]);
  const value = useMemo(() => (session ? { session, request, signOut } : null), [session, request, signOut]);

  if (gate.state === "checking") {
    return (
      <>
        {heading}
        <p className="muted" role="status">
          {t.loading}
        </p>
      </>
    );
  }
  if (gate.state === "signed-out" || !value) {
    return (
      <>
        {heading}
        <SignInForm
          problem={gate.state === "signed-out" ? gate.problem : null}
          onSubmit={async (credentials) => {
            try {
              const signedIn = await signInOperator(fetchFn, credentials);
              setGate({ state: "signed-in", session: signedIn });
            } catch (error) {
              setGate({ state: "signed-out", problem: describe(error) });
            }
          }}
        />
      </>
    );
  }
  return (
    <Context.Provider value={value}>
      <div className="dashboard__head">
        {heading}
        <div className="dashboard__actions">
          <span className="muted" data-testid="signed-in-as">
            {words.signedInAs(value.session.operator, dateTimeFormatter(t.htmlLang)(value.session.expiresAt))}
          </span>
          <button
            type="button"
            className="button button--quiet"
            data-testid="dashboard-sign-out"
            onClick={() => void signOut()}
          >
            {words.signOut}
          </button>
        </div>
      </div>
      {children}
    </Context.Provider>
  );
}
