import type { OperatorSession } from "../src/console/operator-session.js";
import type { Route } from "./test-services.js";

export const fakeCsrfToken = "csrf-test-token";

/**
 * /api/session for the fake server: signed out until a POST with `acceptedToken` (or signed in from the start);
 * `refusal` is what a wrong token gets. `state.signedIn` is the cookie the real browser would hold.
 */
export function fakeOperatorSession(
  options: { acceptedToken?: string; signedIn?: boolean; refusal?: { status: number; code: string } } = {},
) {
  const state = { signedIn: options.signedIn ?? false, operator: "alice" };
  const session = (): OperatorSession => ({
    operator: state.operator,
    shared: false,
    expiresAt: "2025-03-05T20:00:00.000Z",
    csrfToken: fakeCsrfToken,
    csrfHeader: "x-csrf-token",
  });
  const route: Route = (request) => {
    if (request.method === "DELETE") {
      state.signedIn = false;
      return new Response(null, { status: 204 });
    }
    if (request.method === "POST") {
      const body = request.body as { token: string; name?: string };
      if (body.token !== (options.acceptedToken ?? "s3cret")) {
        const refusal = options.refusal ?? { status: 401, code: "UNAUTHORIZED" };
        return Response.json({ error: { code: refusal.code, message: "no" } }, { status: refusal.status });
      }
      state.signedIn = true;
      if (body.name) state.operator = body.name;
      return Response.json(session());
    }
    return state.signedIn
      ? Response.json(session())
      : Response.json({ error: { code: "UNAUTHORIZED", message: "not signed in" } }, { status: 401 });
  };
  return { state, route };
}
