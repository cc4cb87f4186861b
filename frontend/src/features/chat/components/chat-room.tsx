import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Composer } from '@/features/chat/components/composer';
import { ConnectionBanner, OnlineMembers, TypingIndicator } from '@/features/chat/components/chat-status';
import { MessageList } from '@/features/chat/components/message-list';
import { useChatRoom } from '@/features/chat/hooks/use-chat-room';
import { useVisualViewportInset } from '@/features/chat/hooks/use-visual-viewport';
import { selectTimeline, typingUsers } from '@/features/chat/store/chat-reducer';
import type { ChatMember, ChatRole, Draft } from '@/features/chat/types';
import { fallbackName } from '@/features/chat/utils/format';

type ChatRoomProps = {
  roomId: string;
  selfId: string;
  role: ChatRole | undefined;
  archived: boolean;
  members: ChatMember[];
};

/** /rooms/:roomId — the live chat: messages, typing, online members, composer. */
export function ChatRoom({ roomId, selfId, role, archived, members }: ChatRoomProps) {
  const { t } = useTranslation();
  const { state, controller } = useChatRoom(roomId, selfId);
  useVisualViewportInset();

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

  const canSend = (role === 'OWNER' || role === 'EDITOR') && !archived;
  const send = useCallback((draft: Draft) => controller.send(draft), [controller]);
  const onTyping = useCallback((isTyping: boolean) => void controller.sendTyping(isTyping), [controller]);
  const retry = useCallback((clientId: string) => controller.retry(clientId), [controller]);
  const discard = useCallback((clientId: string) => controller.discard(clientId), [controller]);
  const loadOlder = useCallback(() => void controller.loadOlder(), [controller]);

  return (
    <section className="chat" aria-labelledby="room-section-heading">
      <h2 id="room-section-heading" className="visually-hidden">
        {t('chat.heading')}
      </h2>
      <ConnectionBanner />
      <div className="chat-body">
        <div className="chat-main">
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
            />
          )}
          <p className="visually-hidden" aria-live="polite">
            {lastOther && typeof lastOther.content === 'string'
              ? t('chat.announce', { name: nameOf(lastOther.sender_id), text: lastOther.content.slice(0, 200) })
              : ''}
          </p>
          <TypingIndicator names={typing} />
          {canSend ? (
            <Composer members={members} selfId={selfId} onSend={send} onTyping={onTyping} />
          ) : role ? (
            <p className="alert alert-info composer-note" role="note">
              {archived ? t('chat.composer.archivedNote') : t('chat.composer.viewerNote')}
            </p>
          ) : null}
        </div>
        <OnlineMembers online={state.online} members={members} selfId={selfId} />
      </div>
    </section>
  );
}
