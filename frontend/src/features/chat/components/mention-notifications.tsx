import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { MentionFrame } from '@/lib/socket/frames';
import { useRealtimeFrames } from '@/lib/socket/hooks';
import { fallbackName } from '@/features/chat/utils/format';

type Notice = { messageId: string; roomId: string; sender: string; text: string };

const MAX_NOTICES = 20;

function snippet(content: unknown): string {
  if (typeof content === 'string') return content.length > 80 ? `${content.slice(0, 80)}…` : content;
  return '';
}

/**
 * `mention` frames for rooms other than the one on screen: a header badge with the count and
 * toasts linking to the room (the room on screen highlights the mention in its list instead).
 */
export function MentionNotifications({ currentRoomId }: { currentRoomId: string | undefined }) {
  const { t } = useTranslation();
  const [notices, setNotices] = useState<Notice[]>([]);

  useRealtimeFrames('mention', (frame: MentionFrame) => {
    const message = frame.message;
    if (!message || frame.room_id === currentRoomId) return;
    setNotices((current) =>
      current.some((n) => n.messageId === message.message_id)
        ? current
        : [
            {
              messageId: message.message_id,
              roomId: frame.room_id,
              sender: fallbackName(message.sender_id),
              text: snippet(message.content),
            },
            ...current,
          ].slice(0, MAX_NOTICES),
    );
  });

  const visible = notices.filter((n) => n.roomId !== currentRoomId);
  const dismiss = (messageId: string) => setNotices((current) => current.filter((n) => n.messageId !== messageId));
  const openRoom = (roomId: string) => setNotices((current) => current.filter((n) => n.roomId !== roomId));

  return (
    <>
      {visible.length ? (
        <span className="mention-badge" role="status" data-testid="mention-badge">
          @ {t('chat.mention.badge', { count: visible.length })}
        </span>
      ) : null}
      <div className="toasts" role="region" aria-label={t('chat.mention.region')} aria-live="polite">
        {visible.slice(0, 3).map((notice) => (
          <div className="toast" key={notice.messageId} data-testid="mention-toast">
            <p className="toast-title">{t('chat.mention.toast', { name: notice.sender })}</p>
            {notice.text ? <p className="toast-text">{notice.text}</p> : null}
            <div className="toast-actions">
              <Link to={`/rooms/${notice.roomId}`} className="button button-primary" onClick={() => openRoom(notice.roomId)}>
                {t('chat.mention.open')}
              </Link>
              <button
                type="button"
                className="button button-secondary"
                aria-label={t('chat.mention.dismiss')}
                onClick={() => dismiss(notice.messageId)}
              >
                ✕
              </button>
            </div>
          </div>
        ))}
      </div>
    </>
  );
}
