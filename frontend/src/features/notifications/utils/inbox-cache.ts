import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import { notificationsQueryKeys } from '@/features/notifications/api/get-notifications';
import type { AppNotification, NotificationsPage } from '@/features/notifications/types';

type Inbox = InfiniteData<NotificationsPage>;

function updateLists(queryClient: QueryClient, update: (page: NotificationsPage) => NotificationsPage): void {
  queryClient.setQueriesData<Inbox>({ queryKey: notificationsQueryKeys.lists() }, (data) =>
    data ? { ...data, pages: data.pages.map(update) } : data,
  );
}

/** Marks `ids` (or every one) read in the cached inbox pages and lowers the bell's count. */
export function markReadInCache(queryClient: QueryClient, ids: readonly string[] | 'all', at: string): void {
  const hit = (n: AppNotification) => !n.read_at && (ids === 'all' || ids.includes(n.notification_id));
  updateLists(queryClient, (page) => ({
    ...page,
    notifications: page.notifications.map((n) => (hit(n) ? { ...n, read_at: at } : n)),
  }));
  if (ids === 'all') queryClient.setQueryData<number>(notificationsQueryKeys.unreadCount(), 0);
  else queryClient.setQueryData<number>(notificationsQueryKeys.unreadCount(), (count) => Math.max(0, (count ?? 0) - ids.length));
}

/**
 * A live `notification` frame: the bell counts it at once and the inbox lists are refetched
 * (a new entry belongs on top of the first page, in the server's order).
 */
export function addToCache(queryClient: QueryClient, notification: AppNotification): void {
  if (!notification.read_at) {
    queryClient.setQueryData<number>(notificationsQueryKeys.unreadCount(), (count) => (count ?? 0) + 1);
  }
  void queryClient.invalidateQueries({ queryKey: notificationsQueryKeys.lists() });
}
