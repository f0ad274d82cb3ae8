import type { FastifyInstance } from "fastify";
import type { LabelFeedback } from "./core/user-reaction.js";

/** A classification as the API returned it, with what the client must send back with feedback. */
export interface ServedAnswer {
  interactionId: string;
  label: string;
  promptVersion: string;
  /** Present once the service hands out feedback tokens (issue 17); sent back with every feedback event. */
  feedbackToken?: string;
}

export type ClassifyReply = { ok: true; answer: ServedAnswer } | { ok: false; status: number; code: string };

/** Each session gets its own address, as real users would have: per-address limits see many users. */
function addressOf(sessionId: string): string {
  let hash = 2166136261;
  for (const char of sessionId) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return `10.${(hash >>> 16) & 255}.${(hash >>> 8) & 255}.${hash & 255}`;
}

function errorCodeOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown } };
    return typeof parsed.error?.code === "string" ? parsed.error.code : "UNKNOWN";
  } catch {
    return "UNKNOWN";
  }
}

/**
 * The simulated users' side of the API: the same requests the web app makes, through the real routes (Fastify's
 * inject runs routing, validation, hooks and the error handler without a socket).
 */
export function createSimulatedClient(server: FastifyInstance, task: string) {
  const classifyUrl = task === "sentiment" ? "/api/sentiment" : `/api/tasks/${encodeURIComponent(task)}`;
  return {
    async classify(text: string, sessionId: string): Promise<ClassifyReply> {
      const response = await server.inject({
        method: "POST",
        url: classifyUrl,
        payload: { text, sessionId },
        remoteAddress: addressOf(sessionId),
      });
      if (response.statusCode !== 200) {
        return { ok: false, status: response.statusCode, code: errorCodeOf(response.body) };
      }
      return { ok: true, answer: response.json<ServedAnswer>() };
    },

    /** Sends one feedback event about an answer; resolves with the HTTP status (202 when stored). */
    async feedback(
      answer: ServedAnswer,
      sessionId: string,
      event: LabelFeedback | { type: "exit" },
    ): Promise<number> {
      const response = await server.inject({
        method: "POST",
        url: "/api/feedback",
        payload: {
          ...event,
          interactionId: answer.interactionId,
          sessionId,
          ...(answer.feedbackToken !== undefined && { feedbackToken: answer.feedbackToken }),
        },
        remoteAddress: addressOf(sessionId),
      });
      return response.statusCode;
    },
  };
}

export type SimulatedClient = ReturnType<typeof createSimulatedClient>;
