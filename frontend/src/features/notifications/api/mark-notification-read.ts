import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { notificationsQueryKeys } from '@/features/notifications/api/get-notifications';
import { markReadInCache } from '@/features/notifications/utils/inbox-cache';
import type { AppNotification } from '@/features/notifications/types';

/** POST /api/notifications/{id}/read → the notification (idempotent). */
export function markNotificationRead(notificationId: string): Promise<AppNotification> {
  return api.post<AppNotification>(`/api/notifications/${encodeURIComponent(notificationId)}/read`);
}

/** Marks one read in the inbox and the bell at once; the server's answer confirms it. */
export function useMarkNotificationRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (notification: AppNotification) => markNotificationRead(notification.notification_id),
    onMutate: (notification) => {
      if (!notification.read_at) markReadInCache(queryClient, [notification.notification_id], new Date().toISOString());
    },
    onError: () => void queryClient.invalidateQueries({ queryKey: notificationsQueryKeys.all }),
  });
}
