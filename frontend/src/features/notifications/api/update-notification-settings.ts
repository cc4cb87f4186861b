import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { notificationSettingsQueryKey } from '@/features/notifications/api/get-notification-settings';
import type { NotificationSettings } from '@/features/notifications/settings-types';

/** PUT /api/me/notification-settings (the whole shape; escalations are always on) → the stored settings. */
export function updateNotificationSettings(settings: NotificationSettings): Promise<NotificationSettings> {
  return api.put<NotificationSettings>('/api/me/notification-settings', {
    ...settings,
    kinds: { ...settings.kinds, escalation: true },
  });
}

/**
 * A toggle saves at once: the cache shows the change immediately, the server's answer replaces
 * it, and a refused save puts the previous settings back (the page shows the error).
 */
export function useUpdateNotificationSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateNotificationSettings,
    onMutate: async (next) => {
      await queryClient.cancelQueries({ queryKey: notificationSettingsQueryKey });
      const previous = queryClient.getQueryData<NotificationSettings>(notificationSettingsQueryKey);
      queryClient.setQueryData(notificationSettingsQueryKey, next);
      return { previous };
    },
    onSuccess: (saved) => queryClient.setQueryData(notificationSettingsQueryKey, saved),
    onError: (_error, _next, context) => {
      if (context?.previous) queryClient.setQueryData(notificationSettingsQueryKey, context.previous);
    },
  });
}
