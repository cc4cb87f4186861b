import { memo, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { formatDuration } from '@/lib/format';
import { IncidentDataCard } from '@/features/chat/components/incident-data-card';
import { MessageActions, MessageEditor } from '@/features/chat/components/message-actions';
import { ReactionChips } from '@/features/chat/components/reactions';
import { useMessageOps } from '@/features/chat/hooks/use-message-ops';
import { useMessageReveal } from '@/features/chat/hooks/use-message-reveal';
import { useChatAttachments } from '@/features/chat/hooks/use-attachments';
import type { ChatMessage, Outgoing } from '@/features/chat/types';
import { formatDateTimeFull, formatTime } from '@/features/chat/utils/format';
import { splitMentions } from '@/features/chat/utils/mentions';

export type NameOf = (userId: string) => string;

function MessageBody({
  messageType,
  content,
  mentions,
  names,
  messageId,
  fileId,
}: {
  messageType: string;
  content: ChatMessage['content'];
  mentions: string[];
  names: Map<string, string>;
  /** A stored message (its incident card can chart the room's readings). */
  messageId?: string | undefined;
  /** The file of an image_ref / file_ref message. */
  fileId?: string | null | undefined;
}) {
  const attachments = useChatAttachments();
  if (messageType === 'incident_data' && content && typeof content === 'object') {
    return <IncidentDataCard data={content} messageId={messageId} />;
  }
  const text = typeof content === 'string' ? content : JSON.stringify(content);
  if ((messageType === 'image_ref' || messageType === 'file_ref') && fileId && attachments) {
    return (
      <div className="message-file" data-testid="message-file" data-file-id={fileId}>
        {attachments.renderFile({ fileId, messageType })}
        {text ? (
          <p className="message-text message-caption" data-testid="message-text">
            {splitMentions(text, mentions, names).map((part, index) =>
              part.mention ? (
                <mark key={index} className="mention" data-user-id={part.mention}>
                  {part.text}
                </mark>
              ) : (
                <span key={index}>{part.text}</span>
              ),
            )}
          </p>
        ) : null}
      </div>
    );
  }
  return (
    <p className="message-text" data-testid="message-text">
      {splitMentions(text, mentions, names).map((part, index) =>
        part.mention ? (
          <mark key={index} className="mention" data-user-id={part.mention}>
            {part.text}
          </mark>
        ) : (
          <span key={index}>{part.text}</span>
        ),
      )}
    </p>
  );
}

/** Inline text of a persisted system event ("王小明 已加入", "… 將狀態改為 已解決"). */
export function systemEventText(content: Record<string, unknown>, nameOf: NameOf, t: TFunction): string {
  const event = String(content.event ?? '');
  const name = typeof content.user_id === 'string' ? nameOf(content.user_id) : '';
  const by = typeof content.by === 'string' ? nameOf(content.by) : name;
  switch (event) {
    case 'member_added':
      return t('chat.system.member_added', { name });
    case 'member_removed':
      return typeof content.by === 'string' && content.by !== content.user_id
        ? t('chat.system.member_removed_by', { name, by })
        : t('chat.system.member_removed', { name });
    case 'role_changed':
      return t('chat.system.role_changed', {
        name,
        role: t(`members.roles.${String(content.role)}` as 'members.roles.OWNER', { defaultValue: String(content.role) }),
      });
    case 'room_status_changed':
      return t('chat.system.room_status_changed', {
        by,
        status: t(`rooms.status.${String(content.status)}` as 'rooms.status.active', {
          defaultValue: String(content.status),
        }),
      });
    case 'file_deleted':
      return t('chat.system.file_deleted', { name, filename: String(content.filename ?? '') });
    case 'room_acknowledged':
      return typeof content.time_to_acknowledge_s === 'number'
        ? t('chat.system.room_acknowledged_after', { name, elapsed: formatDuration(content.time_to_acknowledge_s) })
        : t('chat.system.room_acknowledged', { name });
    case 'escalated': {
      const notified = Array.isArray(content.notified) ? content.notified.filter((id): id is string => typeof id === 'string') : [];
      return t('chat.system.escalated', {
        level: Number(content.level) || 0,
        names: notified.length ? notified.map(nameOf).join(t('common.listSeparator')) : t('chat.system.nobody'),
      });
    }
    default:
      return t('chat.system.other', { event });
  }
}

type MessageItemProps = {
  message: ChatMessage;
  selfId: string;
  nameOf: NameOf;
  names: Map<string, string>;
  /** Sender shown (first of a run of messages by the same person). */
  showSender: boolean;
};

/**
 * A stored message: sender, time, body (text with mentions, incident card), deleted placeholder.
 * Its action bar shows on hover and focus, and on touch screens after a tap or a long press on
 * the message (use-message-reveal.ts).
 */
export const MessageItem = memo(function MessageItem({ message, selfId, nameOf, names, showSender }: MessageItemProps) {
  const { t, i18n } = useTranslation();
  const ops = useMessageOps();
  const [editing, setEditing] = useState(false);
  const { revealed, handlers } = useMessageReveal(message.message_id);
  const article = useRef<HTMLElement>(null);
  useEffect(() => {
    // a bar shown under the last message in view must not end up behind the composer
    if (revealed) article.current?.querySelector('[data-testid="message-actions"]')?.scrollIntoView?.({ block: 'nearest' });
  }, [revealed]);
  const common = {
    'data-testid': 'chat-message',
    'data-seq': message.sequence_number,
    'data-message-id': message.message_id,
  };
  if (message.message_type === 'system') {
    const content = message.content && typeof message.content === 'object' ? message.content : {};
    return (
      <div className="chat-system" {...common} data-status="confirmed">
        <span className="message-text" data-testid="message-text">
          {systemEventText(content, nameOf, t)}
        </span>
        <time dateTime={message.created_at}>{formatTime(message.created_at, i18n.language)}</time>
      </div>
    );
  }
  const own = message.sender_id === selfId;
  const mentionsMe = !own && message.mentions?.includes(selfId);
  const deleted = Boolean(message.deleted_at);
  const focused = ops?.focusedId === message.message_id;
  return (
    <article
      ref={article}
      className={`message${own ? ' message-own' : ''}${mentionsMe ? ' message-mentions-me' : ''}${deleted ? ' message-deleted' : ''}${focused ? ' message-focused' : ''}${revealed ? ' message-revealed' : ''}`}
      {...common}
      {...handlers}
      data-status="confirmed"
      data-own={own ? 'true' : undefined}
      data-edited={message.edited_at && !deleted ? 'true' : undefined}
      data-deleted={deleted ? 'true' : undefined}
      data-focused={focused ? 'true' : undefined}
      data-actions-shown={revealed ? 'true' : undefined}
      aria-label={`${own ? t('chat.you') : nameOf(message.sender_id)} ${formatTime(message.created_at, i18n.language)}`}
    >
      {showSender ? (
        <header className="message-meta">
          <span className="message-sender">{own ? t('chat.you') : nameOf(message.sender_id)}</span>
          <time dateTime={message.created_at}>{formatTime(message.created_at, i18n.language)}</time>
          {mentionsMe ? <span className="badge badge-mention">{t('chat.mentionsYou')}</span> : null}
        </header>
      ) : null}
      <div className="message-bubble">
        {deleted ? (
          <p className="message-text message-placeholder" data-testid="message-text">
            {t('chat.deleted')}
          </p>
        ) : editing ? (
          <MessageEditor message={message} onDone={() => setEditing(false)} />
        ) : (
          <MessageBody
            messageType={message.message_type}
            content={message.content}
            mentions={message.mentions ?? []}
            names={names}
            messageId={message.message_id}
            fileId={message.file_id}
          />
        )}
        {message.edited_at && !deleted ? (
          <span
            className="message-edited"
            data-testid="edited-marker"
            title={t('ops.editedAt', { time: formatDateTimeFull(message.edited_at, i18n.language) })}
          >
            {t('chat.edited')}
          </span>
        ) : null}
      </div>
      <ReactionChips message={message} />
      <MessageActions message={message} editing={editing || deleted} onEdit={() => setEditing(true)} />
    </article>
  );
});

type OutgoingItemProps = {
  outgoing: Outgoing;
  names: Map<string, string>;
  onRetry: (clientId: string) => void;
  onDiscard: (clientId: string) => void;
};

/** One of the user's own messages that the server has not confirmed: queued, sending or failed (retry). */
export const OutgoingItem = memo(function OutgoingItem({ outgoing, names, onRetry, onDiscard }: OutgoingItemProps) {
  const { t, i18n } = useTranslation();
  const failed = outgoing.status === 'failed';
  const reason = outgoing.error
    ? t(`chat.failedReason.${outgoing.error}` as 'chat.failedReason.timeout', { defaultValue: outgoing.error })
    : '';
  return (
    <article
      className={`message message-own message-${outgoing.status}`}
      data-testid="chat-message"
      data-status={outgoing.status}
      data-client-id={outgoing.client_id}
      data-own="true"
    >
      <header className="message-meta">
        <span className="message-sender">{t('chat.you')}</span>
        <time dateTime={outgoing.created_at}>{formatTime(outgoing.created_at, i18n.language)}</time>
      </header>
      <div className="message-bubble">
        <MessageBody
          messageType={outgoing.message_type}
          content={outgoing.content}
          mentions={outgoing.mentions}
          names={names}
          fileId={outgoing.file_id}
        />
      </div>
      <p className="message-state" role={failed ? 'alert' : undefined}>
        {failed ? (
          <>
            <span>{reason ? t('chat.failedWith', { reason }) : t('chat.failed')}</span>{' '}
            <button type="button" className="button button-secondary button-small" onClick={() => onRetry(outgoing.client_id)}>
              {t('chat.retry')}
            </button>{' '}
            <button type="button" className="button button-link button-small" onClick={() => onDiscard(outgoing.client_id)}>
              {t('chat.discard')}
            </button>
          </>
        ) : (
          <span>{outgoing.status === 'queued' ? t('chat.queued') : t('chat.sending')}</span>
        )}
      </p>
    </article>
  );
});
