import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import {
  conversationOf,
  openChatHistory,
  type ChatHistory,
  type ConversationSummary,
} from "./chat-history.js";
import type { Turn } from "./chat-turns.js";

/** The conversation list and the actions on it, for the chat page. */
export interface ConversationStore {
  /** False while IndexedDB opens, and where the browser has none (then nothing survives a reload). */
  available: boolean;
  /** True once opening finished (with or without IndexedDB). */
  ready: boolean;
  list: ConversationSummary[];
  currentId: string;
  newChat: () => void;
  open: (id: string) => void;
  remove: (id: string) => void;
}

const newConversationId = (): string => crypto.randomUUID();

/**
 * Keeps the conversation in IndexedDB: reopens the latest one after a reload, saves the turns whenever no reply is
 * streaming, and offers the list, "new chat", opening and deleting. `load` replaces the shown turns.
 */
export function useConversationStore(
  turns: readonly Turn[],
  busy: boolean,
  load: (turns: Turn[]) => void,
): ConversationStore {
  const [history, setHistory] = useState<ChatHistory | null | undefined>(undefined);
  const [list, setList] = useState<ConversationSummary[]>([]);
  const [currentId, setCurrentId] = useState(newConversationId);
  const createdAt = useRef(Date.now());
  const loadRef = useRef(load);
  const turnCount = useRef(turns.length);
  useLayoutEffect(() => {
    loadRef.current = load;
    turnCount.current = turns.length;
  });

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const opened = await openChatHistory();
      if (cancelled) return;
      setHistory(opened);
      if (!opened) return;
      const rows = await opened.list().catch(() => []);
      if (cancelled) return;
      setList(rows);
      // The latest conversation comes back after a reload, unless the user already started typing a new one.
      const latest = rows[0] && (await opened.get(rows[0].id));
      if (cancelled || !latest || turnCount.current > 0) return;
      setCurrentId(latest.id);
      createdAt.current = latest.createdAt;
      loadRef.current(latest.turns);
    })();
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(() => {
    if (!history || busy || turns.length === 0) return;
    const conversation = conversationOf(currentId, turns, createdAt.current, Date.now());
    void history
      .save(conversation)
      .then(() => history.list())
      .then(setList, () => undefined);
  }, [history, busy, turns, currentId]);

  const newChat = useCallback(() => {
    setCurrentId(newConversationId());
    createdAt.current = Date.now();
    loadRef.current([]);
  }, []);
  const open = useCallback(
    (id: string) => {
      void history?.get(id).then((stored) => {
        if (!stored) return;
        setCurrentId(stored.id);
        createdAt.current = stored.createdAt;
        loadRef.current(stored.turns);
      });
    },
    [history],
  );
  const remove = useCallback(
    (id: string) => {
      if (!history) return;
      void history
        .remove(id)
        .then(() => history.list())
        .then(setList, () => undefined);
      if (id === currentId) newChat();
    },
    [history, currentId, newChat],
  );

  return {
    available: Boolean(history),
    ready: history !== undefined,
    list,
    currentId,
    newChat,
    open,
    remove,
  };
}
