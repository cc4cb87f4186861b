import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { notificationsQueryKeys } from '@/features/notifications/api/get-notifications';
import { markReadInCache } from '@/features/notifications/utils/inbox-cache';

export type MarkAllReadResult = { marked: number; unread_count: number };

/** POST /api/notifications/read-all → how many were marked, and the unread count (0). */
export function markAllNotificationsRead(): Promise<MarkAllReadResult> {
  return api.post<MarkAllReadResult>('/api/notifications/read-all');
}

export function useMarkAllNotificationsRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: markAllNotificationsRead,
    onSuccess: (result) => {
      markReadInCache(queryClient, 'all', new Date().toISOString());
      queryClient.setQueryData(notificationsQueryKeys.unreadCount(), result.unread_count);
      void queryClient.invalidateQueries({ queryKey: notificationsQueryKeys.lists() });
    },
  });
}
