import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { NotificationsPage } from '@/features/notifications/types';

export const INBOX_PAGE_SIZE = 20;

export const notificationsQueryKeys = {
  all: ['notifications'] as const,
  lists: () => ['notifications', 'list'] as const,
  list: (unreadOnly: boolean) => ['notifications', 'list', { unread: unreadOnly }] as const,
  unreadCount: () => ['notifications', 'unread-count'] as const,
};

/** GET /api/notifications?unread=&limit=&cursor= → newest first, with the unread count. */
export function getNotifications(
  { unread, limit = INBOX_PAGE_SIZE, cursor }: { unread: boolean; limit?: number; cursor?: string | null },
  signal?: AbortSignal,
): Promise<NotificationsPage> {
  return api.get<NotificationsPage>('/api/notifications', {
    query: { unread: unread ? 'true' : 'false', limit, cursor: cursor ?? undefined },
    ...(signal ? { signal } : {}),
  });
}

export function useNotifications(unreadOnly: boolean) {
  return useInfiniteQuery({
    queryKey: notificationsQueryKeys.list(unreadOnly),
    queryFn: ({ pageParam, signal }) => getNotifications({ unread: unreadOnly, cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
  });
}
