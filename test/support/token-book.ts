/**
 * What the web app does with feedbackTokens, for tests that talk HTTP: remember the token of every answer a response
 * carried (anywhere in its JSON), and add it to feedback about that answer.
 */
export function createTokenBook() {
  const tokens = new Map<string, string>();
  const remember = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(remember);
    else if (typeof value === "object" && value !== null) {
      const record = value as Record<string, unknown>;
      if (typeof record.interactionId === "string" && typeof record.feedbackToken === "string")
        tokens.set(record.interactionId, record.feedbackToken);
      Object.values(record).forEach(remember);
    }
  };
  return {
    remember,
    /** The payload with its answer's feedbackToken (unless it names one already). */
    sign<T extends { interactionId?: unknown }>(payload: T): T & { feedbackToken?: string } {
      const token = tokens.get(String(payload.interactionId));
      return token === undefined ? payload : { feedbackToken: token, ...payload };
    },
    tokenOf: (interactionId: string) => tokens.get(interactionId),
  };
}
