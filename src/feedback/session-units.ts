/**
 * The name spaces of the ids that become a hashed unit (assignment, memory, feedback ownership).
 *
 * A public /api route takes a `sessionId` as the proof that the caller owns a session: whoever sends it reads and
 * erases that session's memory. /v1's `user` is different: the API-key holder's backend asserts it, and it is often
 * guessable ("user-123", an e-mail). So /v1 users get a unit no sessionId can name: a prefix with control
 * characters, which every public sessionId schema refuses (`sessionIdPattern`).
 */
export function openAiUserUnit(user: string): string {
  return `\u0000openai\u0000${user}`;
}

/** JSON-schema pattern of a public sessionId: visible text, no control characters (C0 or DEL). */
export const sessionIdPattern = "^[^\\u0000-\\u001F\\u007F]+$";

/**
 * The units a sessionId sent with feedback may stand for: the /api session of that name, or the /v1 user of that
 * name (docs/openai-api.md tells /v1 clients to send their `user` as the feedback's sessionId). The feedbackToken
 * is what authorises feedback; this only checks that a sessionId, if sent, names the interaction's owner.
 */
export function unitsNamedBy(sessionId: string): string[] {
  return [sessionId, openAiUserUnit(sessionId)];
}
