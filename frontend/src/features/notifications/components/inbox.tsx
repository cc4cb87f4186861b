import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { formatDateTime } from '@/lib/format';
import { useNotifications } from '@/features/notifications/api/get-notifications';
import { useUnreadCount } from '@/features/notifications/api/get-unread-count';
import { useMarkAllNotificationsRead } from '@/features/notifications/api/mark-all-notifications-read';
import { useMarkNotificationRead } from '@/features/notifications/api/mark-notification-read';
import type { AppNotification } from '@/features/notifications/types';

const KIND_ICONS: Record<string, string> = {
  mention: '@',
  escalation: '▲',
  added_to_room: '＋',
  room_acknowledged: '✓',
  room_resolved: '◎',
};

function InboxItem({ notification, onOpen }: { notification: AppNotification; onOpen: (n: AppNotification) => void }) {
  const { t, i18n } = useTranslation();
  const unread = !notification.read_at;
  const kind = t(`inbox.kind.${notification.kind}`, { defaultValue: t('inbox.kind.other') });
  return (
    <li className={`inbox-item ${unread ? 'inbox-item-unread' : ''} inbox-kind-${notification.kind}`}>
      <Link
        to={`/rooms/${encodeURIComponent(notification.room_id)}`}
        className="inbox-link"
        onClick={() => onOpen(notification)}
      >
        <span className="inbox-icon" aria-hidden="true">
          {KIND_ICONS[notification.kind] ?? '•'}
        </span>
        <span className="inbox-body">
          <span className="inbox-top">
            <span className="inbox-kind">{kind}</span>
            {unread ? <span className="inbox-unread">{t('inbox.unread')}</span> : null}
            <time dateTime={notification.created_at}>{formatDateTime(notification.created_at, i18n.language)}</time>
          </span>
          <span className="inbox-room">{notification.room_title}</span>
          {notification.text ? <span className="inbox-text">{notification.text}</span> : null}
        </span>
      </Link>
    </li>
  );
}

/** /notifications: the inbox, newest first; opening one marks it read and goes to its room. */
export function Inbox() {
  const { t } = useTranslation();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const query = useNotifications(unreadOnly);
  const unreadCount = useUnreadCount().data ?? 0;
  const markRead = useMarkNotificationRead();
  const markAll = useMarkAllNotificationsRead();
  const items = query.data?.pages.flatMap((page) => page.notifications) ?? [];

  return (
    <div className="page inbox-page">
      <div className="page-heading">
        <h1>{t('inbox.heading')}</h1>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => markAll.mutate()}
          disabled={markAll.isPending || unreadCount === 0}
        >
          {t('inbox.markAll')}
        </button>
      </div>
      <div className="inbox-filter" role="group" aria-label={t('inbox.filter')}>
        <button type="button" className="button button-secondary" aria-pressed={!unreadOnly} onClick={() => setUnreadOnly(false)}>
          {t('inbox.all')}
        </button>
        <button type="button" className="button button-secondary" aria-pressed={unreadOnly} onClick={() => setUnreadOnly(true)}>
          {t('inbox.unreadOnly', { count: unreadCount })}
        </button>
      </div>
      <p className="visually-hidden" role="status">
        {t('inbox.unreadSummary', { count: unreadCount })}
      </p>
      {markAll.isError ? <ErrorAlert error={markAll.error} /> : null}
      {query.isPending ? (
        <Loading />
      ) : query.isError && !query.data ? (
        <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : items.length === 0 ? (
        <p className="empty-state">{unreadOnly ? t('inbox.emptyUnread') : t('inbox.empty')}</p>
      ) : (
        <ul className="inbox-list" aria-label={t('inbox.listLabel')}>
          {items.map((notification) => (
            <InboxItem
              key={notification.notification_id}
              notification={notification}
              onOpen={(n) => {
                if (!n.read_at) markRead.mutate(n);
              }}
            />
          ))}
        </ul>
      )}
      {query.hasNextPage ? (
        <div className="load-more">
          <button
            type="button"
            className="button button-secondary"
            onClick={() => void query.fetchNextPage()}
            disabled={query.isFetchingNextPage}
          >
            {query.isFetchingNextPage ? t('inbox.loadingMore') : t('inbox.loadMore')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
