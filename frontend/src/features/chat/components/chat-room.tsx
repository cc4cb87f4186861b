import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FileDropZone } from '@/components/file-drop-zone';
import { canManage, canWrite, isArchived, type RoomRole, type RoomState } from '@/lib/roles';
import { Composer } from '@/features/chat/components/composer';
import { ConnectionBanner, OnlineMembers, TypingIndicator } from '@/features/chat/components/chat-status';
import { MessageList } from '@/features/chat/components/message-list';
import { useChatRoom } from '@/features/chat/hooks/use-chat-room';
import { ChatAttachmentsContext, type ChatAttachments } from '@/features/chat/hooks/use-attachments';
import { MessageOpsContext, type MessageOps } from '@/features/chat/hooks/use-message-ops';
import { MessageRevealContext, useRevealStore } from '@/features/chat/hooks/use-message-reveal';
import { useVisualViewportInset } from '@/features/chat/hooks/use-visual-viewport';
import { selectTimeline, typingUsers } from '@/features/chat/store/chat-reducer';
import type { ChatMember, Draft } from '@/features/chat/types';
import { fallbackName } from '@/features/chat/utils/format';

type ChatRoomProps = {
  roomId: string;
  selfId: string;
  role: RoomRole | undefined;
  /** The room's status decides, with the role, whether the user may write. */
  room: RoomState;
  members: ChatMember[];
  /** Sequence number to jump to and highlight (`?focus=` from a search result). */
  focusSeq?: number | null | undefined;
  /** Files: previews in messages, and uploads (drop, paste, buttons) — plugged in by the app. */
  attachments?: ChatAttachments | undefined;
};

/** /rooms/:roomId — the live chat: messages, typing, online members, composer. */
export function ChatRoom({ roomId, selfId, role, room, members, focusSeq = null, attachments }: ChatRoomProps) {
  const { t } = useTranslation();
  const { state, controller } = useChatRoom(roomId, selfId);
  // on a phone the chat is as tall as the visible area (above the on-screen keyboard)
  useVisualViewportInset();
  // the message whose action bar a tap has shown (touch screens)
  const reveal = useRevealStore();

  const names = useMemo(() => new Map(members.map((m) => [m.user_id, m.display_name])), [members]);
  const nameOf = useCallback((userId: string) => names.get(userId) ?? fallbackName(userId), [names]);
  const items = useMemo(() => selectTimeline(state), [state.order, state.byId, state.outbox]); // eslint-disable-line react-hooks/exhaustive-deps

  // Typing indicators expire by time: the controller prunes them, so every entry is current.
  const typing = typingUsers(state, -Infinity).map(nameOf);

  // Announce other people's new messages to screen readers (the list itself is virtual);
  // only messages from after the page opened, not the history.
  const [openedAt] = useState(() => Date.now() - 5_000);
  const lastOther = useMemo(() => {
    for (let i = state.order.length - 1; i >= 0; i -= 1) {
      const m = state.byId[state.order[i]!]!;
      if (Date.parse(m.created_at) < openedAt) return undefined;
      if (m.sender_id !== selfId && m.message_type !== 'system') return m;
    }
    return undefined;
  }, [state.order, state.byId, selfId, openedAt]);

  const canSend = canWrite(role, room);
  const canModerate = canManage(role, room);
  const send = useCallback((draft: Draft) => controller.send(draft), [controller]);
  // Completed uploads go out through this room's send (optimistic, ack, retry like text).
  const upload = canSend ? attachments?.upload : undefined;
  useEffect(
    () => upload?.connect((message) => void controller.send({ ...message, mentions: [] })),
    [upload, controller],
  );
  const onTyping = useCallback((isTyping: boolean) => void controller.sendTyping(isTyping), [controller]);
  const retry = useCallback((clientId: string) => controller.retry(clientId), [controller]);
  const discard = useCallback((clientId: string) => controller.discard(clientId), [controller]);
  const loadOlder = useCallback(() => void controller.loadOlder(), [controller]);

  // A search result: load older pages until the message is in the window, then it is focused.
  const historyLoaded = state.lastSeq !== null;
  const [focusMissing, setFocusMissing] = useState<number | null>(null);
  useEffect(() => {
    if (focusSeq === null || !historyLoaded) return undefined;
    let cancelled = false;
    void controller.loadUntil(focusSeq).then((found) => {
      if (!cancelled) setFocusMissing(found ? null : focusSeq);
    });
    return () => {
      cancelled = true;
    };
  }, [controller, focusSeq, historyLoaded]);
  const focusedId = focusSeq === null ? null : (state.seqIndex[focusSeq] ?? null);

  const ops = useMemo<MessageOps>(
    () => ({
      roomId,
      selfId,
      canWrite: canSend,
      canModerate,
      nameOf,
      focusedId,
      react: (messageId, emoji, add) => void controller.react(messageId, emoji, add),
      edit: (messageId, content) => controller.editMessage(messageId, content),
      remove: (messageId) => void controller.deleteMessage(messageId),
    }),
    [roomId, selfId, canSend, canModerate, nameOf, focusedId, controller],
  );

  return (
    <MessageOpsContext.Provider value={ops}>
      <ChatAttachmentsContext.Provider value={attachments ?? null}>
      <MessageRevealContext.Provider value={reveal}>
      <section className="chat" aria-labelledby="room-section-heading">
        <h2 id="room-section-heading" className="visually-hidden">
          {t('chat.heading')}
        </h2>
        <ConnectionBanner />
        {state.notice ? (
          <div className="alert alert-error chat-notice" role="alert" data-testid="chat-notice" key={state.notice.id}>
            <p>
              {t(`ops.failed.${state.notice.action}`)}
              {t(`ops.reason.${state.notice.code}` as 'ops.reason.forbidden', { defaultValue: '' })
                ? `：${t(`ops.reason.${state.notice.code}` as 'ops.reason.forbidden')}`
                : ''}
            </p>
            <button type="button" className="button button-link button-small" onClick={() => controller.dismissNotice()}>
              {t('common.close')}
            </button>
          </div>
        ) : null}
        {focusMissing !== null && focusMissing === focusSeq ? (
          <p className="alert alert-info" role="status">
            {t('ops.focusMissing')}
          </p>
        ) : null}
        <div className="chat-body">
          <FileDropZone className="chat-main" onFiles={upload?.addFiles} label={t('files.dropHere')}>
            {state.lastSeq === null ? (
              state.loadError ? (
                <div className="alert alert-error" role="alert">
                  <p>{t('chat.loadError')}</p>
                  <button type="button" className="button button-secondary" onClick={() => void controller.loadInitial()}>
                    {t('errors.retry')}
                  </button>
                </div>
              ) : (
                <p className="loading chat-loading" role="status">
                  {t('chat.loading')}
                </p>
              )
            ) : (
              <MessageList
                items={items}
                selfId={selfId}
                nameOf={nameOf}
                names={names}
                prepended={state.prepended}
                hasOlder={state.hasOlder}
                loadingOlder={state.loadingOlder}
                onLoadOlder={loadOlder}
                onRetry={retry}
                onDiscard={discard}
                focusMessageId={focusedId}
              />
            )}
            <p className="visually-hidden" aria-live="polite">
              {lastOther && typeof lastOther.content === 'string'
                ? t('chat.announce', { name: nameOf(lastOther.sender_id), text: lastOther.content.slice(0, 200) })
                : ''}
            </p>
            <TypingIndicator names={typing} />
            {upload?.tray}
            {canSend ? (
              <Composer
                members={members}
                selfId={selfId}
                onSend={send}
                onTyping={onTyping}
                tools={upload?.tools}
                onPasteFiles={upload?.addFiles}
              />
            ) : role ? (
              <p className="alert alert-info composer-note" role="note">
                {isArchived(room) ? t('chat.composer.archivedNote') : t('chat.composer.viewerNote')}
              </p>
            ) : null}
          </FileDropZone>
          <OnlineMembers online={state.online} members={members} selfId={selfId} />
        </div>
      </section>
      </MessageRevealContext.Provider>
      </ChatAttachmentsContext.Provider>
    </MessageOpsContext.Provider>
  );
}
