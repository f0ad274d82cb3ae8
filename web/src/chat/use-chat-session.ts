import { useCallback, useEffect, useLayoutEffect, useReducer, useRef } from "react";
import { streamAnalyze, type AnalyzeEvent } from "../api/analyze-stream.js";
import { ApiError } from "../api/api-error.js";
import type { FeedbackEvent } from "../api/api-types.js";
import { useServices } from "../app-services.js";
import { followUpFor, historyOf, latestReply, restoredTurns, turnsReducer, type Turn } from "./chat-turns.js";
import type { TurnFeedback } from "./turn-feedback.js";
import { useConversationStore, type ConversationStore } from "./use-conversation-store.js";

/** What the chat page needs from a conversation. */
export interface ChatSession {
  turns: Turn[];
  busy: boolean;
  send: (text: string) => void;
  stop: () => void;
  recordEdit: (turnId: number, text: string) => void;
  /** Keeps the feedback given on a turn with the conversation (the events themselves are already sent). */
  recordFeedback: (turnId: number, change: TurnFeedback) => void;
  /** Runs a turn again with its own text (retry after a failure, regenerate) or with `text` (edit and resend). */
  rerun: (turnId: number, text?: string) => void;
  /** Shows a reply the moderation policy withheld. */
  reveal: (turnId: number) => void;
  conversations: ConversationStore;
}

/** The answers an event carries, each with the token that feedback on it needs. */
function answersOf(event: AnalyzeEvent): { interactionId: string; feedbackToken?: string }[] {
  if (event.type === "sentiment") return [event.sentiment];
  if (event.type === "classifications") return event.classifications;
  if (event.type === "done") return [event.reply];
  return [];
}

/**
 * Runs the conversation: each message is one streamed /api/analyze turn with the earlier turns as history.
 * Sending a new message records a follow-up on the previous reply; leaving the page records an exit
 * on the latest reply (once per reply) and hands all pending feedback to sendBeacon.
 */
export function useChatSession(collectDwell: () => FeedbackEvent[]): ChatSession {
  const services = useServices();
  const [turns, dispatch] = useReducer(turnsReducer, []);
  // Event handlers (send, pagehide) read the committed turns without re-subscribing on every token.
  const turnsRef = useRef(turns);
  useLayoutEffect(() => {
    turnsRef.current = turns;
  }, [turns]);
  const controller = useRef<AbortController | null>(null);
  const nextId = useRef(1);
  const exited = useRef(new Set<string>());
  const busy = turns.at(-1)?.phase === "classifying" || turns.at(-1)?.phase === "replying";

  const conversations = useConversationStore(turns, busy, (stored) => {
    controller.current?.abort();
    const loaded = restoredTurns(stored);
    nextId.current = Math.max(0, ...loaded.map((turn) => turn.id)) + 1;
    // Feedback on a kept answer still needs its token, which the memory of the last page has lost.
    for (const turn of loaded) {
      for (const answer of [...turn.classifications, turn.reply]) {
        if (answer?.feedbackToken)
          services.feedback.rememberToken(answer.interactionId, answer.feedbackToken);
      }
    }
    dispatch({ type: "load", turns: loaded });
  });

  /** Streams one turn (`id`) for `text` with `previous` as the history. */
  const run = useCallback(
    (id: number, text: string, previous: readonly Turn[]) => {
      const abort = new AbortController();
      controller.current = abort;
      void (async () => {
        try {
          const events = streamAnalyze(
            { text, sessionId: services.sessionId, history: historyOf(previous) },
            { fetch: services.fetch, signal: abort.signal },
          );
          for await (const event of events) {
            for (const answer of answersOf(event)) {
              if (answer.feedbackToken)
                services.feedback.rememberToken(answer.interactionId, answer.feedbackToken);
            }
            if (event.type === "sentiment") dispatch({ type: "sentiment", id, sentiment: event.sentiment });
            else if (event.type === "classifications") {
              const { classifications, moderation } = event;
              dispatch({ type: "classified", id, classifications, moderation });
            } else if (event.type === "token") dispatch({ type: "token", id, text: event.text });
            else if (event.type === "refusal") dispatch({ type: "refused", id, message: event.message });
            else dispatch({ type: "done", id, reply: event.reply, at: services.now() });
          }
        } catch (error) {
          if (abort.signal.aborted) dispatch({ type: "stopped", id });
          else if (error instanceof ApiError) dispatch({ type: "failed", id, error: error });
          else dispatch({ type: "failed", id, error: { code: "INTERNAL", message: String(error) } });
        } finally {
          if (controller.current === abort) controller.current = null;
        }
      })();
    },
    [services],
  );

  const send = useCallback(
    (text: string) => {
      if (controller.current) return;
      const previous = turnsRef.current;
      const followUp = followUpFor(previous, services.now());
      if (followUp) void services.feedback.submit({ type: "follow_up", ...followUp });
      const id = nextId.current++;
      dispatch({ type: "start", id, text });
      run(id, text, previous);
    },
    [services, run],
  );

  const rerun = useCallback(
    (turnId: number, text?: string) => {
      if (controller.current) return;
      const index = turnsRef.current.findIndex((turn) => turn.id === turnId);
      const turn = turnsRef.current[index];
      if (!turn) return;
      const id = nextId.current++;
      const message = text ?? turn.userText;
      dispatch({ type: "restart", replaceId: turnId, id, text: message });
      run(id, message, turnsRef.current.slice(0, index));
    },
    [run],
  );

  const stop = useCallback(() => controller.current?.abort(), []);
  const recordEdit = useCallback(
    (turnId: number, text: string) => dispatch({ type: "edited", id: turnId, text }),
    [],
  );
  const recordFeedback = useCallback(
    (turnId: number, change: TurnFeedback) => dispatch({ type: "feedback", id: turnId, change }),
    [],
  );

  useEffect(() => {
    // The page may never run another timer once hidden: send what is pending by beacon.
    const handOff = () => {
      for (const event of collectDwell()) services.feedback.beacon(event);
      services.feedback.flushViaBeacon();
    };
    const onVisibilityChange = () => {
      if (document.visibilityState === "hidden") handOff();
    };
    const onPageHide = () => {
      handOff();
      const latest = latestReply(turnsRef.current)?.reply;
      // Once per reply: the exit rate counts replies the user left on, and a page restored from the
      // back/forward cache and left again must not count the same reply twice.
      if (latest && !exited.current.has(latest.interactionId)) {
        exited.current.add(latest.interactionId);
        services.feedback.beacon({ interactionId: latest.interactionId, type: "exit" });
      }
    };
    document.addEventListener("visibilitychange", onVisibilityChange);
    window.addEventListener("pagehide", onPageHide);
    return () => {
      document.removeEventListener("visibilitychange", onVisibilityChange);
      window.removeEventListener("pagehide", onPageHide);
    };
  }, [services, collectDwell]);

  const reveal = useCallback((turnId: number) => dispatch({ type: "revealed", id: turnId }), []);

  return { turns, busy, send, stop, recordEdit, recordFeedback, rerun, reveal, conversations };
}
