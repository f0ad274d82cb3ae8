import { ApiError, requestOk } from "../api/api-error.js";

/** GET/POST /api/session: who is signed in to the console, until when, and the CSRF token for writes. */
export interface OperatorSession {
  operator: string;
  /** Signed in with the shared ADMIN_TOKEN under a declared name. */
  shared: boolean;
  expiresAt: string;
  csrfToken: string;
  csrfHeader: string;
}

const json = { "content-type": "application/json" };

/** The current session, or null when not signed in (401); other failures are thrown as ApiError. */
export async function fetchOperatorSession(
  fetchFn: typeof fetch,
  signal?: AbortSignal,
): Promise<OperatorSession | null> {
  try {
    const response = await requestOk(fetchFn, "/api/session", {
      credentials: "same-origin",
      ...(signal && { signal }),
    });
    return (await response.json()) as OperatorSession;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/** Exchanges an admin token for the session cookie; the token itself is never stored in the browser. */
export async function signInOperator(
  fetchFn: typeof fetch,
  credentials: { token: string; name?: string },
): Promise<OperatorSession> {
  const response = await requestOk(fetchFn, "/api/session", {
    method: "POST",
    credentials: "same-origin",
    headers: json,
    body: JSON.stringify(credentials.name ? credentials : { token: credentials.token }),
  });
  return (await response.json()) as OperatorSession;
}

export async function signOutOperator(fetchFn: typeof fetch): Promise<void> {
  await requestOk(fetchFn, "/api/session", { method: "DELETE", credentials: "same-origin" });
}

/**
 * An admin API request on the session: the cookie goes along by itself; writes carry the CSRF token and, when they
 * have a body, are JSON.
 */
export function adminRequestInit(session: OperatorSession, init: RequestInit = {}): RequestInit {
  const method = (init.method ?? "GET").toUpperCase();
  const headers = new Headers(init.headers);
  if (method !== "GET" && method !== "HEAD") {
    headers.set(session.csrfHeader, session.csrfToken);
    if (init.body !== undefined && !headers.has("content-type"))
      headers.set("content-type", "application/json");
  }
  return { ...init, credentials: "same-origin", headers: Object.fromEntries(headers.entries()) };
}
