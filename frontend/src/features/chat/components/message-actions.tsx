import { useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '@/components/dialog';
import { isImeEnter, MAX_MESSAGE_CHARS } from '@/features/chat/components/composer';
import { ReactionPicker } from '@/features/chat/components/reactions';
import { useEditWindow, useMessageOps } from '@/features/chat/hooks/use-message-ops';
import type { ChatMessage } from '@/features/chat/types';

type ActionsProps = {
  message: ChatMessage;
  editing: boolean;
  onEdit: () => void;
};

/**
 * A message's action bar (shown on hover / focus; on touch screens after a tap or a long press
 * on the message, one message at a time — use-message-reveal.ts): add a reaction
 * (EDITOR / OWNER), edit (own text, only while it is less than 15 minutes old: the button
 * disappears when the window passes), delete with a confirmation (own, or any for the OWNER).
 */
export function MessageActions({ message, editing, onEdit }: ActionsProps) {
  const { t } = useTranslation();
  const ops = useMessageOps();
  const [picking, setPicking] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const reactButton = useRef<HTMLButtonElement>(null);
  const own = ops !== null && message.sender_id === ops.selfId;
  const deleted = Boolean(message.deleted_at);
  const active = Boolean(ops?.canWrite) && !deleted && message.message_type !== 'system';
  const canEdit = useEditWindow(message.created_at, active && own && message.message_type === 'text' && !editing);
  if (!ops || !active) return null;
  const canDelete = own || ops.canModerate;

  return (
    <div className={`message-actions${picking ? ' message-actions-open' : ''}`} data-testid="message-actions">
      <div className="message-action-buttons" role="group" aria-label={t('ops.actions')}>
        <button
          ref={reactButton}
          type="button"
          className="button button-icon message-action"
          aria-label={t('ops.addReaction')}
          title={t('ops.addReaction')}
          aria-expanded={picking}
          onClick={() => setPicking((open) => !open)}
        >
          <svg className="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"><path d="M12 21a9 9 0 1 1 9-9M8.5 14.5s1.2 1.5 3.5 1.5M9 9.5h.01M15 9.5h.01M18 15v6M15 18h6" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" /></svg>
        </button>
        {canEdit ? (
          <button type="button" className="button button-icon message-action" aria-label={t('ops.edit')} title={t('ops.edit')} onClick={onEdit}>
            <svg className="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"><path d="M4 20h4L19 9l-4-4L4 16v4zM14 6l4 4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" /></svg>
          </button>
        ) : null}
        {canDelete ? (
          <button
            type="button"
            className="button button-icon message-action"
            aria-label={t('ops.delete')}
            title={t('ops.delete')}
            onClick={() => setConfirming(true)}
          >
            <svg className="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"><path d="M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" /></svg>
          </button>
        ) : null}
      </div>
      {picking ? (
        <ReactionPicker
          message={message}
          onClose={(returnFocus) => {
            setPicking(false);
            if (returnFocus) reactButton.current?.focus();
          }}
        />
      ) : null}
      {confirming ? (
        <ConfirmDialog
          title={t('ops.deleteTitle')}
          message={own ? t('ops.deleteOwn') : t('ops.deleteOther', { name: ops.nameOf(message.sender_id) })}
          confirmLabel={t('ops.delete')}
          danger
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            ops.remove(message.message_id);
            setConfirming(false);
          }}
        />
      ) : null}
    </div>
  );
}

type EditorProps = {
  message: ChatMessage;
  onDone: () => void;
};

/** Inline edit of a text message: Enter saves, Shift+Enter is a newline, Esc cancels, IME-safe. */
export function MessageEditor({ message, onDone }: EditorProps) {
  const { t } = useTranslation();
  const ops = useMessageOps();
  const original = typeof message.content === 'string' ? message.content : '';
  const [text, setText] = useState(original);
  const composing = useRef(false);
  const tooLong = text.length > MAX_MESSAGE_CHARS;
  const empty = !text.trim();

  function save() {
    if (!ops || empty || tooLong) return;
    if (text.trim() === original.trim()) {
      onDone();
      return;
    }
    if (ops.edit(message.message_id, text.trim())) onDone();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (isImeEnter(event, composing.current)) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onDone();
      return;
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      save();
    }
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    save();
  }

  return (
    <form className="message-editor" onSubmit={onSubmit}>
      <label className="visually-hidden" htmlFor={`edit-${message.message_id}`}>
        {t('ops.editLabel')}
      </label>
      <textarea
        id={`edit-${message.message_id}`}
        className="composer-input message-editor-input"
        value={text}
        rows={Math.min(6, Math.max(1, text.split('\n').length))}
        autoFocus
        aria-invalid={tooLong || undefined}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        onCompositionStart={() => {
          composing.current = true;
        }}
        onCompositionEnd={() => {
          composing.current = false;
        }}
        onFocus={(event) => {
          const end = event.currentTarget.value.length;
          event.currentTarget.setSelectionRange(end, end);
        }}
      />
      <p className="message-editor-hint">{t('ops.editHint')}</p>
      <div className="form-actions">
        <button type="button" className="button button-secondary button-small" onClick={onDone}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="button button-primary button-small" disabled={empty || tooLong}>
          {t('ops.save')}
        </button>
      </div>
    </form>
  );
}
