import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { useI18n } from "../i18n/locale-context.js";

/** Props of {@link ReplyEditor}. */
export interface ReplyEditorProps {
  initialText: string;
  onSave: (text: string) => void;
  onCancel: () => void;
}

/** In-place editing of a reply: Ctrl/⌘+Enter saves, Escape cancels. */
export function ReplyEditor({ initialText, onSave, onCancel }: ReplyEditorProps) {
  const { t } = useI18n();
  const [text, setText] = useState(initialText);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const id = useId();
  useEffect(() => {
    const element = textarea.current;
    if (!element) return;
    element.focus();
    element.setSelectionRange(element.value.length, element.value.length);
  }, []);
  const trimmed = text.trim();
  const save = () => {
    if (trimmed !== "") onSave(text);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Escape") {
      event.preventDefault();
      onCancel();
    } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      save();
    }
  };
  return (
    <div className="reply-editor">
      <label className="sr-only" htmlFor={id}>
        {t.editLabel}
      </label>
      <textarea
        id={id}
        ref={textarea}
        className="reply-editor__text"
        data-testid="edit-textarea"
        value={text}
        rows={Math.min(12, Math.max(3, text.split("\n").length + 1))}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="reply-editor__actions">
        <button
          type="button"
          className="button button--primary"
          data-testid="save-button"
          disabled={trimmed === ""}
          onClick={save}
        >
          {t.save}
        </button>
        <button type="button" className="button" data-testid="cancel-edit-button" onClick={onCancel}>
          {t.cancel}
        </button>
      </div>
    </div>
  );
}
