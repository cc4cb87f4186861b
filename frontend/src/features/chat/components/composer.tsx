import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type ChangeEvent, type ClipboardEvent, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { filesFromTransfer } from '@/lib/file-transfer';
import { IncidentDataForm } from '@/features/chat/components/incident-data-form';
import { TypingNotifier } from '@/features/chat/hooks/typing-notifier';
import type { ChatMember, Draft } from '@/features/chat/types';
import { activeMentionQuery, filterMembers, mentionsInText } from '@/features/chat/utils/mentions';

export const MAX_MESSAGE_CHARS = 4000;
/** The counter shows from here on. */
export const COUNTER_FROM = 3500;

/** Enter that must not send: an input method (Chinese, Japanese …) is still composing. */
export function isImeEnter(event: KeyboardEvent<HTMLElement>, composing: boolean): boolean {
  // Safari ends the composition before keydown, so isComposing alone is not enough: keyCode 229 too.
  return composing || event.nativeEvent.isComposing || event.keyCode === 229;
}

type ComposerProps = {
  members: ChatMember[];
  selfId: string;
  onSend: (draft: Draft) => void;
  onTyping: (isTyping: boolean) => void;
  /** Extra buttons (attach file / camera) beside the composer's own. */
  tools?: ReactNode;
  /** Files pasted into the text box (a screenshot); without it pasting files does nothing special. */
  onPasteFiles?: ((files: File[]) => void) | undefined;
};

/**
 * Text composer: Enter sends, Shift+Enter is a newline, never sends while an IME composes;
 * `@` opens member autocomplete (arrow keys, Enter/Tab, Escape); throttled typing frames;
 * character counter near 4,000; an incident-data mini form.
 */
export function Composer({ members, selfId, onSend, onTyping, tools, onPasteFiles }: ComposerProps) {
  const { t } = useTranslation();
  const id = useId();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const [text, setText] = useState('');
  const [picked, setPicked] = useState<Map<string, string>>(() => new Map());
  const [mention, setMention] = useState<{ query: string; start: number } | null>(null);
  const [active, setActive] = useState(0);
  const [showIncident, setShowIncident] = useState(false);
  const composing = useRef(false);
  // Where the caret goes after a programmatic change (a picked mention). Applied in a layout
  // effect, i.e. before the browser handles the next keystroke: a later (rAF) update would let
  // fast typing land before the caret moved and scramble the text.
  const pendingCaret = useRef<number | null>(null);
  useLayoutEffect(() => {
    const el = textarea.current;
    if (el && pendingCaret.current !== null) {
      el.focus();
      el.setSelectionRange(pendingCaret.current, pendingCaret.current);
      pendingCaret.current = null;
    }
  }, [text]);
  const notifier = useMemo(() => new TypingNotifier(onTyping), [onTyping]);
  useEffect(() => () => notifier.stop(), [notifier]);

  const candidates = useMemo(
    () => (mention ? filterMembers(members, mention.query, selfId) : []),
    [mention, members, selfId],
  );
  const listOpen = candidates.length > 0;
  const tooLong = text.length > MAX_MESSAGE_CHARS;
  const empty = !text.trim();

  function updateMention(value: string, caret: number) {
    const next = activeMentionQuery(value, caret);
    setMention(next);
    setActive(0);
  }

  function onChange(event: ChangeEvent<HTMLTextAreaElement>) {
    const value = event.target.value;
    setText(value);
    updateMention(value, event.target.selectionStart ?? value.length);
    if (value.trim()) notifier.input();
    else notifier.stop();
  }

  function pick(member: ChatMember) {
    if (!mention) return;
    const el = textarea.current;
    const caret = el?.selectionStart ?? text.length;
    const insert = `@${member.display_name} `;
    const value = text.slice(0, mention.start) + insert + text.slice(caret);
    const position = mention.start + insert.length;
    setText(value);
    setPicked((current) => new Map(current).set(member.user_id, member.display_name));
    setMention(null);
    pendingCaret.current = position;
  }

  function submit() {
    if (empty || tooLong) return;
    onSend({ message_type: 'text', content: text.trim(), mentions: mentionsInText(text, picked) });
    setText('');
    setPicked(new Map());
    setMention(null);
    notifier.stop();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (isImeEnter(event, composing.current)) return;
    if (listOpen) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setActive((index) => (index + step + candidates.length) % candidates.length);
        return;
      }
      if ((event.key === 'Enter' && !event.shiftKey) || event.key === 'Tab') {
        event.preventDefault();
        pick(candidates[Math.min(active, candidates.length - 1)]!);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        setMention(null);
        return;
      }
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      submit();
    }
  }

  function onPaste(event: ClipboardEvent<HTMLTextAreaElement>) {
    if (!onPasteFiles) return;
    const data = event.clipboardData;
    // Copied spreadsheet cells carry text *and* a picture of it: text wins then.
    if (data?.types && Array.from(data.types).includes('text/plain') && data.getData('text/plain')) return;
    const files = filesFromTransfer(data);
    if (!files.length) return;
    event.preventDefault();
    onPasteFiles(files);
  }

  function onFormSubmit(event: FormEvent) {
    event.preventDefault();
    submit();
  }

  const counterId = `${id}-counter`;
  const listId = `${id}-mentions`;

  return (
    <div className="composer">
      {showIncident ? (
        <IncidentDataForm
          onCancel={() => setShowIncident(false)}
          onSubmit={(content) => {
            onSend({ message_type: 'incident_data', content, mentions: [] });
            setShowIncident(false);
          }}
        />
      ) : null}
      <form className="composer-form" onSubmit={onFormSubmit}>
        {listOpen ? (
          <ul className="mention-list" id={listId} role="listbox" aria-label={t('chat.composer.mentionList')}>
            {candidates.map((member, index) => (
              <li
                key={member.user_id}
                id={`${listId}-${index}`}
                role="option"
                aria-selected={index === active}
                className={index === active ? 'active' : undefined}
                onMouseDown={(event) => {
                  event.preventDefault();
                  pick(member);
                }}
              >
                <span className="mention-name">{member.display_name}</span>
                <span className="mention-id">{member.user_id}</span>
              </li>
            ))}
          </ul>
        ) : null}
        <label htmlFor={`${id}-text`} className="visually-hidden">
          {t('chat.composer.label')}
        </label>
        <textarea
          id={`${id}-text`}
          ref={textarea}
          className="composer-input"
          rows={1}
          value={text}
          placeholder={t('chat.composer.placeholder')}
          aria-describedby={counterId}
          aria-invalid={tooLong || undefined}
          aria-autocomplete="list"
          aria-controls={listOpen ? listId : undefined}
          aria-activedescendant={listOpen ? `${listId}-${active}` : undefined}
          enterKeyHint="send"
          onChange={onChange}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          onSelect={(event) => {
            const el = event.currentTarget;
            if (mention || el.value.includes('@')) updateMention(el.value, el.selectionStart ?? el.value.length);
          }}
          onCompositionStart={() => {
            composing.current = true;
          }}
          onCompositionEnd={() => {
            composing.current = false;
          }}
          onBlur={() => notifier.stop()}
        />
        <div className="composer-actions">
          {tools}
          <button
            type="button"
            className="button button-secondary"
            aria-expanded={showIncident}
            onClick={() => setShowIncident((open) => !open)}
          >
            {t('chat.composer.incidentData')}
          </button>
          <span id={counterId} className={`char-counter${tooLong ? ' over' : ''}`} aria-live="polite">
            {text.length >= COUNTER_FROM ? t('chat.composer.counter', { count: text.length, max: MAX_MESSAGE_CHARS }) : ''}
            {tooLong ? ` ${t('chat.composer.tooLong', { max: MAX_MESSAGE_CHARS })}` : ''}
          </span>
          <button type="submit" className="button button-primary" disabled={empty || tooLong}>
            {t('chat.composer.send')}
          </button>
        </div>
      </form>
    </div>
  );
}
