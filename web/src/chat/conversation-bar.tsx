import type { ConversationStore } from "./use-conversation-store.js";
import { useChatWords } from "../i18n/chat-words.js";

/** "New chat" and the list of kept conversations (IndexedDB), above the turns. */
export function ConversationBar({ store, busy }: { store: ConversationStore; busy: boolean }) {
  const words = useChatWords();
  return (
    <div className="conversation-bar">
      <button
        type="button"
        className="button"
        data-testid="new-chat"
        aria-disabled={busy}
        onClick={() => !busy && store.newChat()}
      >
        {words.newChat}
      </button>
      {store.available && store.list.length > 0 && (
        <details className="conversation-bar__history" data-testid="chat-history">
          <summary>
            {words.history} ({store.list.length})
          </summary>
          <ul>
            {store.list.map((conversation) => (
              <li key={conversation.id}>
                <button
                  type="button"
                  className="button button--quiet"
                  data-testid="history-item"
                  aria-current={conversation.id === store.currentId}
                  aria-disabled={busy}
                  onClick={() => !busy && store.open(conversation.id)}
                >
                  {conversation.title || words.untitled}
                </button>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`${words.deleteChat}: ${conversation.title || words.untitled}`}
                  onClick={() => store.remove(conversation.id)}
                >
                  <span aria-hidden="true">✕</span>
                </button>
              </li>
            ))}
          </ul>
        </details>
      )}
      {store.ready && !store.available && (
        <p className="conversation-bar__note" role="note">
          {words.historyUnavailable}
        </p>
      )}
    </div>
  );
}
