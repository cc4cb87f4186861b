import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { QUICK_REACTIONS, useMessageOps } from '@/features/chat/hooks/use-message-ops';
import type { ChatMessage } from '@/features/chat/types';

/** A touch held this long on a reaction chip shows who reacted (instead of toggling). */
export const LONG_PRESS_MS = 500;

/** Closes a popover on Escape or a press outside `ref`. */
function useDismiss(ref: RefObject<HTMLElement | null>, open: boolean, onClose: () => void) {
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  });
  useEffect(() => {
    if (!open) return undefined;
    const onPointer = (event: Event) => {
      if (ref.current && event.target instanceof Node && !ref.current.contains(event.target)) onCloseRef.current();
    };
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key === 'Escape') onCloseRef.current();
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open, ref]);
}

type PickerProps = {
  message: ChatMessage;
  onClose: (returnFocus: boolean) => void;
};

/**
 * The quick-reaction grid: emoji-only buttons (named for screen readers), ≥ 44 px, arrow keys /
 * Home / End move between them, Enter or Space picks, Escape closes. Picking a reaction the
 * user already gave removes it.
 */
export function ReactionPicker({ message, onClose }: PickerProps) {
  const { t } = useTranslation();
  const ops = useMessageOps();
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    root.current?.querySelector<HTMLButtonElement>('button')?.focus();
  }, []);
  useDismiss(root, true, () => onClose(false));
  if (!ops) return null;

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const buttons = [...(root.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const columns = 4;
    let next: number;
    if (event.key === 'ArrowRight') next = index + 1;
    else if (event.key === 'ArrowLeft') next = index - 1;
    else if (event.key === 'ArrowDown') next = index + columns;
    else if (event.key === 'ArrowUp') next = index - columns;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = buttons.length - 1;
    else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onClose(true);
      return;
    } else return;
    event.preventDefault();
    buttons[(next + buttons.length) % buttons.length]?.focus();
  }

  return (
    <div
      ref={root}
      className="reaction-picker"
      role="group"
      aria-label={t('ops.pickReaction')}
      data-testid="reaction-picker"
      onKeyDown={onKeyDown}
    >
      {QUICK_REACTIONS.map(({ emoji, key }) => {
        const mine = (message.reactions?.[emoji] ?? []).includes(ops.selfId);
        return (
          <button
            key={emoji}
            type="button"
            className="reaction-option"
            aria-label={t(`ops.emoji.${key}`)}
            aria-pressed={mine}
            title={t(`ops.emoji.${key}`)}
            onClick={() => {
              ops.react(message.message_id, emoji, !mine);
              onClose(true);
            }}
          >
            <span aria-hidden="true">{emoji}</span>
          </button>
        );
      })}
    </div>
  );
}

/**
 * Reaction chips under a message: emoji and count; the user's own is pressed and tapping it
 * toggles; who reacted is in the tooltip (hover) and, on touch, a long press opens a small list.
 */
export function ReactionChips({ message }: { message: ChatMessage }) {
  const { t } = useTranslation();
  const ops = useMessageOps();
  const [who, setWho] = useState<string | null>(null);
  const whoRef = useRef<HTMLDivElement>(null);
  const pressTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const longPressed = useRef(false);
  useDismiss(whoRef, who !== null, () => setWho(null));
  useEffect(() => () => {
    if (pressTimer.current) clearTimeout(pressTimer.current);
  }, []);

  const entries = Object.entries(message.reactions ?? {}).filter(([, users]) => users.length > 0);
  if (!ops || !entries.length || message.deleted_at) return null;
  const names = (users: string[]) => users.map((id) => (id === ops.selfId ? t('chat.you') : ops.nameOf(id)));

  function cancelPress() {
    if (pressTimer.current) clearTimeout(pressTimer.current);
    pressTimer.current = null;
  }

  function onPointerDown(event: PointerEvent<HTMLButtonElement>, emoji: string) {
    longPressed.current = false;
    if (event.pointerType !== 'touch') return;
    cancelPress();
    pressTimer.current = setTimeout(() => {
      pressTimer.current = null;
      longPressed.current = true;
      setWho(emoji);
    }, LONG_PRESS_MS);
  }

  function toggle(emoji: string, mine: boolean) {
    if (longPressed.current) {
      longPressed.current = false;
      return;
    }
    if (ops?.canWrite) ops.react(message.message_id, emoji, !mine);
  }

  const whoUsers = who ? (message.reactions?.[who] ?? []) : [];
  return (
    <div className="reactions-wrap">
      <ul className="reactions" aria-label={t('ops.reactions')}>
        {entries.map(([emoji, users]) => {
          const mine = users.includes(ops.selfId);
          const list = names(users).join('、');
          return (
            <li key={emoji}>
              <button
                type="button"
                className={`reaction-chip${mine ? ' reaction-mine' : ''}`}
                data-testid="reaction-chip"
                data-emoji={emoji}
                data-count={users.length}
                aria-pressed={ops.canWrite ? mine : undefined}
                aria-disabled={ops.canWrite ? undefined : true}
                aria-label={t('ops.chipLabel', { emoji, count: users.length, names: list })}
                title={list}
                onClick={() => toggle(emoji, mine)}
                onPointerDown={(event) => onPointerDown(event, emoji)}
                onPointerUp={cancelPress}
                onPointerLeave={cancelPress}
                onPointerCancel={cancelPress}
                onContextMenu={(event) => {
                  // the long press opens the list instead of the browser's menu
                  if (pressTimer.current || longPressed.current) event.preventDefault();
                }}
              >
                <span aria-hidden="true">{emoji}</span>
                <span className="reaction-count" aria-hidden="true">
                  {users.length}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      {who && whoUsers.length ? (
        <div ref={whoRef} className="reaction-who" role="dialog" aria-label={t('ops.whoReacted', { emoji: who })} data-testid="reaction-who">
          <p className="reaction-who-title">
            <span aria-hidden="true">{who}</span> {t('ops.whoReacted', { emoji: '' }).trim()}
          </p>
          <ul>
            {names(whoUsers).map((name, index) => (
              <li key={`${name}-${index}`}>{name}</li>
            ))}
          </ul>
          <button type="button" className="button button-secondary button-small" onClick={() => setWho(null)}>
            {t('common.close')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
