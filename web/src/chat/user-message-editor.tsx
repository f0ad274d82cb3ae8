import { useId, useState } from "react";
import { useChatWords } from "../i18n/chat-words.js";

/** Props of {@link UserMessageEditor}. */
export interface UserMessageEditorProps {
  initialText: string;
  maxChars: number | null;
  onResend: (text: string) => void;
  onCancel: () => void;
}

/** Edits one of the user's own messages in place; resending runs that turn again and drops the turns after it. */
export function UserMessageEditor({ initialText, maxChars, onResend, onCancel }: UserMessageEditorProps) {
  const words = useChatWords();
  const [text, setText] = useState(initialText);
  const id = useId();
  const length = [...text.trim()].length;
  const tooLong = maxChars !== null && length > maxChars;
  const canResend = length > 0 && !tooLong;
  return (
    <form
      className="user-editor"
      onSubmit={(event) => {
        event.preventDefault();
        if (canResend) onResend(text.trim());
      }}
    >
      <label className="sr-only" htmlFor={id}>
        {words.editAndResend}
      </label>
      <textarea
        id={id}
        className="reply-editor__text"
        data-testid="user-edit-input"
        value={text}
        rows={Math.min(6, Math.max(2, text.split("\n").length))}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Escape") onCancel();
        }}
        autoFocus
      />
      {tooLong && maxChars !== null && (
        <p className="length-warning" role="alert">
          {words.tooLong(maxChars)}
        </p>
      )}
      <div className="reply-editor__actions">
        <button
          type="submit"
          className="button button--primary"
          data-testid="user-edit-resend"
          aria-disabled={!canResend}
        >
          {words.resend}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {words.cancel}
        </button>
      </div>
    </form>
  );
}
