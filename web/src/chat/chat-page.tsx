import { useCallback, useEffect, useMemo, useState } from "react";
import type { TaskInfo } from "../api/api-types.js";
import { fetchTasks } from "../api/fetch-tasks.js";
import { useServices } from "../app-services.js";
import { DwellRegistry, DwellRegistryProvider } from "../feedback/dwell-registry.js";
import { useChatWords } from "../i18n/chat-words.js";
import { useI18n } from "../i18n/locale-context.js";
import { useTaskWords } from "../i18n/task-words.js";
import { MemoryPanel } from "../memory/memory-panel.js";
import type { TurnPhase } from "./chat-turns.js";
import { ConversationBar } from "./conversation-bar.js";
import { fetchInputLimit } from "./fetch-input-limit.js";
import { MessageComposer } from "./message-composer.js";
import { TurnView } from "./turn-view.js";
import { useChatSession } from "./use-chat-session.js";
import { useFollowScroll } from "./use-follow-scroll.js";
import "./chat.css";

/** The chat: each message is classified, then answered, and every reply collects feedback. */
export function ChatPage() {
  const { t } = useI18n();
  const services = useServices();
  const registry = useMemo(() => new DwellRegistry(), []);
  const collectDwell = useCallback(() => registry.collect(), [registry]);
  const session = useChatSession(collectDwell);
  const [tasks, setTasks] = useState<TaskInfo[]>([]);
  const [maxChars, setMaxChars] = useState<number | null>(null);
  const words = useChatWords();
  const taskWords = useTaskWords();

  useEffect(() => {
    const abort = new AbortController();
    // The tasks' labels and feedback widgets; without it each chip offers the labels its version scored.
    fetchTasks(services.fetch, abort.signal).then(setTasks, () => undefined);
    // The input limit, so that an over-long message is caught before it is sent.
    fetchInputLimit(services.fetch, abort.signal).then(setMaxChars, () => undefined);
    return () => abort.abort();
  }, [services.fetch]);

  const turnCount = session.turns.length;
  const scroll = useFollowScroll(session.turns);
  const send = (text: string) => {
    scroll.follow();
    session.send(text);
  };
  const rerun = (turnId: number, text?: string) => {
    scroll.follow();
    session.rerun(turnId, text);
  };

  const taskInfo = useCallback((task: string) => tasks.find((info) => info.task === task), [tasks]);
  const last = session.turns.at(-1);
  const statusText: Record<TurnPhase, string> = {
    classifying: t.statusClassifying,
    replying: t.statusReplying,
    done: t.statusDone,
    stopped: t.statusStopped,
    error: t.statusError,
    refused: taskWords.statusRefused,
  };

  return (
    <DwellRegistryProvider value={registry}>
      <section className="chat" aria-labelledby="chat-heading">
        <h1 id="chat-heading" className="sr-only">
          {t.navChat}
        </h1>
        <ConversationBar store={session.conversations} busy={session.busy} />
        <MemoryPanel refreshKey={session.turns.filter((turn) => turn.phase === "done").length} />
        {turnCount === 0 ? (
          <div className="empty-state" data-testid="chat-empty">
            <h2>{t.emptyChatTitle}</h2>
            <p>{t.emptyChatHint}</p>
          </div>
        ) : (
          <ol className="turns" aria-label={t.conversationLabel}>
            {session.turns.map((turn, index) => (
              <TurnView
                key={turn.id}
                turn={turn}
                taskInfo={taskInfo}
                onEdited={session.recordEdit}
                onFeedback={session.recordFeedback}
                onReveal={session.reveal}
                onRerun={session.busy ? undefined : rerun}
                isLast={index === turnCount - 1}
                maxChars={maxChars}
              />
            ))}
          </ol>
        )}
        <div className="composer-dock">
          {scroll.away && turnCount > 0 && (
            <button
              type="button"
              className="button jump-to-latest"
              data-testid="jump-to-latest"
              onClick={scroll.follow}
            >
              {words.jumpToLatest} ↓
            </button>
          )}
          <div className="composer-dock__info">
            <p
              className="stream-status"
              role="status"
              data-testid="stream-status"
              data-phase={last?.phase ?? "idle"}
            >
              {last ? statusText[last.phase] : ""}
            </p>
            <p className="composer-hint" id="composer-hint">
              {t.composerHint}
            </p>
          </div>
          <MessageComposer
            busy={session.busy}
            onSend={send}
            onStop={session.stop}
            hintId="composer-hint"
            maxChars={maxChars}
          />
        </div>
      </section>
    </DwellRegistryProvider>
  );
}
