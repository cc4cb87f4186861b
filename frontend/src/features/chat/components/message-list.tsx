import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Virtuoso, type VirtuosoHandle } from 'react-virtuoso';
import { MessageItem, OutgoingItem, type NameOf } from '@/features/chat/components/message-item';
import type { TimelineItem } from '@/features/chat/store/chat-reducer';
import { dayKey, formatDay } from '@/features/chat/utils/format';

/** Large enough that prepending history never reaches 0. */
const FIRST_INDEX = 1_000_000;
/** Closer than this (px) to the end counts as reading the latest message. */
const AT_BOTTOM_PX = 80;
/** Messages by the same sender within this time share one header. */
const RUN_MS = 5 * 60_000;

type MessageListProps = {
  items: TimelineItem[];
  selfId: string;
  nameOf: NameOf;
  names: Map<string, string>;
  /** Messages added at the top by scrolling up (keeps the scroll position). */
  prepended: number;
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
  onRetry: (clientId: string) => void;
  onDiscard: (clientId: string) => void;
  /** Scrolled into view (centred) when it is set or first becomes loaded: a search result. */
  focusMessageId?: string | null | undefined;
};

function itemTime(item: TimelineItem): string {
  return item.kind === 'message' ? item.message.created_at : item.outgoing.created_at;
}

function itemSender(item: TimelineItem, selfId: string): string {
  if (item.kind === 'outgoing') return selfId;
  return item.message.message_type === 'system' ? '' : item.message.sender_id;
}

function prefersReducedMotion(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function'
    ? window.matchMedia('(prefers-reduced-motion: reduce)').matches
    : false;
}

/**
 * The virtualised message list (react-virtuoso): only the rows in view are in the DOM, so
 * thousands of messages stay smooth. Sticks to the bottom while the user is there; otherwise
 * a "new messages" button counts what arrived below. Scrolling to the top loads older history.
 */
export function MessageList({
  items,
  selfId,
  nameOf,
  names,
  prepended,
  hasOlder,
  loadingOlder,
  onLoadOlder,
  onRetry,
  onDiscard,
  focusMessageId = null,
}: MessageListProps) {
  const { t, i18n } = useTranslation();
  const virtuoso = useRef<VirtuosoHandle>(null);
  const [atBottom, setAtBottom] = useState(true);
  const [unread, setUnread] = useState(0);
  const lastKey = items.at(-1)?.key;
  const seen = useRef<{ lastKey: string | undefined; length: number }>({ lastKey, length: items.length });
  const smooth = prefersReducedMotion() ? 'auto' : 'smooth';

  // New rows at the end: count them while the user reads older messages; jump down for own sends.
  useEffect(() => {
    const previous = seen.current;
    seen.current = { lastKey, length: items.length };
    if (lastKey === previous.lastKey || lastKey === undefined) return;
    const last = items.at(-1)!;
    if (last.kind === 'outgoing') {
      virtuoso.current?.scrollToIndex({ index: 'LAST', align: 'end', behavior: 'auto' });
      return;
    }
    if (!atBottom) {
      const fresh = items.slice(-Math.max(1, items.length - previous.length)).filter((i) => itemSender(i, selfId) !== selfId);
      if (fresh.length) setUnread((n) => n + fresh.length);
    }
  }, [lastKey, items, atBottom, selfId]);

  const onAtBottom = useCallback((bottom: boolean) => {
    setAtBottom(bottom);
    if (bottom) setUnread(0);
  }, []);

  const jump = useCallback(() => {
    virtuoso.current?.scrollToIndex({ index: 'LAST', align: 'end', behavior: smooth });
    setUnread(0);
  }, [smooth]);

  // The list changes height (a phone's on-screen keyboard opens or closes, the room header
  // folds away): if the user was reading the latest message, it stays in view above the composer.
  const list = useRef<HTMLDivElement>(null);
  const scroller = useRef<HTMLElement | null>(null);
  /** How far from the end the user scrolled, measured at the list's last known height. */
  const bottomGap = useRef(0);
  const listHeight = useRef(0);
  useEffect(() => {
    const element = list.current;
    if (!element || typeof ResizeObserver === 'undefined') return undefined;
    listHeight.current = element.clientHeight;
    const observer = new ResizeObserver(() => {
      const next = element.clientHeight;
      if (next === listHeight.current) return;
      listHeight.current = next;
      // the scroller's own end (the virtual list may not have seen the new size yet)
      if (bottomGap.current <= AT_BOTTOM_PX && scroller.current) scroller.current.scrollTop = scroller.current.scrollHeight;
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const firstItemIndex = FIRST_INDEX - prepended;

  // Jump to a search result once it is in the list (indexes are 0-based positions in `items`).
  const focusPosition = focusMessageId ? items.findIndex((item) => item.key === focusMessageId) : -1;
  const jumped = useRef<string | null>(null);
  useEffect(() => {
    if (!focusMessageId || focusPosition < 0 || jumped.current === focusMessageId) return undefined;
    jumped.current = focusMessageId;
    const scroll = () => virtuoso.current?.scrollToIndex({ index: focusPosition, align: 'center', behavior: 'auto' });
    scroll();
    // once more after the rows around it have been measured
    const timer = setTimeout(scroll, 150);
    return () => clearTimeout(timer);
  }, [focusMessageId, focusPosition]);

  const renderItem = useCallback(
    (index: number, item: TimelineItem) => {
      const position = index - firstItemIndex;
      const previous = position > 0 ? items[position - 1] : undefined;
      const time = itemTime(item);
      const newDay = !previous || dayKey(itemTime(previous)) !== dayKey(time);
      const sender = itemSender(item, selfId);
      const showSender =
        newDay ||
        !previous ||
        itemSender(previous, selfId) !== sender ||
        new Date(time).getTime() - new Date(itemTime(previous)).getTime() > RUN_MS;
      return (
        <div className="chat-row">
          {newDay ? (
            <div className="day-separator" role="separator" aria-label={formatDay(time, i18n.language)}>
              <span>{formatDay(time, i18n.language)}</span>
            </div>
          ) : null}
          {item.kind === 'message' ? (
            <MessageItem message={item.message} selfId={selfId} nameOf={nameOf} names={names} showSender={showSender} />
          ) : (
            <OutgoingItem outgoing={item.outgoing} names={names} onRetry={onRetry} onDiscard={onDiscard} />
          )}
        </div>
      );
    },
    [firstItemIndex, items, selfId, nameOf, names, onRetry, onDiscard, i18n.language],
  );

  const components = useMemo(
    () => ({
      Header: () => (
        <div className="chat-list-header">
          {loadingOlder ? t('chat.loadingOlder') : hasOlder ? '' : items.length ? t('chat.beginning') : t('chat.empty')}
        </div>
      ),
    }),
    [loadingOlder, hasOlder, items.length, t],
  );

  return (
    <div
      ref={list}
      className="chat-list"
      role="region"
      aria-label={t('chat.listLabel')}
      onScrollCapture={(event) => {
        // a scroll caused by the resize itself (before the observer hears of it) is not the user's
        if (list.current && list.current.clientHeight !== listHeight.current) return;
        const target = event.target as HTMLElement;
        bottomGap.current = target.scrollHeight - target.scrollTop - target.clientHeight;
      }}
    >
      <Virtuoso
        ref={virtuoso}
        className="chat-scroller"
        scrollerRef={(element) => {
          scroller.current = element instanceof HTMLElement ? element : null;
        }}
        data={items}
        firstItemIndex={firstItemIndex}
        initialTopMostItemIndex={{ index: 'LAST', align: 'end' }}
        computeItemKey={(_, item) => item.key}
        itemContent={renderItem}
        followOutput={(bottom) => (bottom ? smooth : false)}
        atBottomStateChange={onAtBottom}
        atBottomThreshold={AT_BOTTOM_PX}
        startReached={() => {
          if (hasOlder && !loadingOlder) onLoadOlder();
        }}
        alignToBottom
        increaseViewportBy={{ top: 400, bottom: 200 }}
        components={components}
      />
      {!atBottom && unread > 0 ? (
        <button type="button" className="button button-primary new-messages" onClick={jump}>
          {t('chat.newMessages', { count: unread })} ↓
        </button>
      ) : null}
    </div>
  );
}
