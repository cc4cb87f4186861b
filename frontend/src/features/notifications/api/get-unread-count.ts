import { useQuery } from '@tanstack/react-query';
import { getNotifications, notificationsQueryKeys } from '@/features/notifications/api/get-notifications';

/** The bell's number: `unread_count` of GET /api/notifications?unread=true&limit=1. */
export async function getUnreadCount(signal?: AbortSignal): Promise<number> {
  const page = await getNotifications({ unread: true, limit: 1 }, signal);
  return page.unread_count;
}

/** Kept live by `notification` frames (see use-notifications-live.ts), refetched after a reconnect. */
export function useUnreadCount() {
  return useQuery({
    queryKey: notificationsQueryKeys.unreadCount(),
    queryFn: ({ signal }) => getUnreadCount(signal),
    staleTime: 60_000,
  });
}
