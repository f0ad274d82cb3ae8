import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { useChatWords } from "../i18n/chat-words.js";
import { useI18n } from "../i18n/locale-context.js";

/** Props of {@link MessageComposer}. */
export interface MessageComposerProps {
  busy: boolean;
  onSend: (text: string) => void;
  onStop: () => void;
  /** Id of the visible keyboard hint, read out with the text box. */
  hintId?: string;
  /** The server's MAX_INPUT_CHARS (from /api/health); null until known. */
  maxChars?: number | null;
}

/** From this share of the limit on, the count is shown next to the box. */
const countFrom = 0.8;

/** The message box: Enter sends, Shift+Enter adds a line; while a reply streams, Stop replaces Send. */
export function MessageComposer({ busy, onSend, onStop, hintId, maxChars = null }: MessageComposerProps) {
  const { t } = useI18n();
  const words = useChatWords();
  const [text, setText] = useState("");
  const id = useId();
  const countId = useId();
  // Send and Stop replace each other; keep focus in the text box rather than losing it with the button.
  const input = useRef<HTMLTextAreaElement>(null);
  // Counted as the server counts (code points), on the text that is sent.
  const length = [...text.trim()].length;
  const tooLong = maxChars !== null && length > maxChars;
  const showCount = maxChars !== null && length >= maxChars * countFrom;
  const canSend = !busy && text.trim() !== "" && !tooLong;
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!canSend) return;
    onSend(text.trim());
    setText("");
    input.current?.focus();
  };
  const stop = () => {
    onStop();
    input.current?.focus();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter while an input method is composing (pinyin) confirms the candidate; it must not send.
    if (event.key !== "Enter" || event.shiftKey || event.nativeEvent.isComposing || event.keyCode === 229)
      return;
    event.preventDefault();
    submit();
  };
  return (
    <form className="composer" onSubmit={submit}>
      {showCount && maxChars !== null && (
        <p
          id={countId}
          className={`composer__count${tooLong ? " composer__count--over" : ""}`}
          data-testid="char-count"
          data-over={tooLong}
          aria-live="polite"
        >
          {tooLong ? words.tooLong(maxChars) : words.charCount(length, maxChars)}
        </p>
      )}
      <label className="sr-only" htmlFor={id}>
        {t.messageLabel}
      </label>
      <textarea
        id={id}
        ref={input}
        className="composer__input"
        data-testid="message-input"
        placeholder={t.messagePlaceholder}
        aria-describedby={[hintId, showCount ? countId : undefined].filter(Boolean).join(" ") || undefined}
        aria-invalid={tooLong}
        rows={Math.min(6, Math.max(1, text.split("\n").length))}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      {busy ? (
        <button type="button" className="button composer__button" data-testid="stop-button" onClick={stop}>
          {t.stop}
        </button>
      ) : (
        <button
          type="submit"
          className="button button--primary composer__button"
          data-testid="send-button"
          aria-disabled={!canSend}
        >
          {t.send}
        </button>
      )}
    </form>
  );
}
