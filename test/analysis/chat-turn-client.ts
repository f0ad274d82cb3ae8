import { expect } from "vitest";
import type { App } from "../../src/server/create-app.js";

/** One chat turn as `POST /api/chat` (not streamed) answers it. */
export interface ChatTurn {
  interactionId: string;
  reply: string;
  feedbackToken?: string;
}

/**
 * The chat tests' two calls through the HTTP API: a one-message chat turn in a session, and feedback on a turn
 * (with its feedbackToken, as the web app sends it). Both assert the route accepted the request.
 */
export function chatTurnClient(app: () => App) {
  async function chat(sessionId: string, text: string): Promise<ChatTurn> {
    const res = await app().server.inject({
      method: "POST",
      url: "/api/chat",
      payload: { messages: [{ role: "user", content: text }], sessionId, stream: false },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<ChatTurn>();
  }

  async function feedback(turn: ChatTurn, sessionId: string, body: Record<string, unknown>): Promise<void> {
    const res = await app().server.inject({
      method: "POST",
      url: "/api/feedback",
      payload: {
        interactionId: turn.interactionId,
        sessionId,
        ...(turn.feedbackToken !== undefined && { feedbackToken: turn.feedbackToken }),
        ...body,
      },
    });
    expect(res.statusCode, res.body).toBe(202);
  }

  return { chat, feedback };
}
