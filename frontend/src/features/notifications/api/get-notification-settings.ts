import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { NotificationSettings } from '@/features/notifications/settings-types';

export const notificationSettingsQueryKey = ['me', 'notification-settings'] as const;

/** GET /api/me/notification-settings → the channels and kinds the user wants. */
export function getNotificationSettings(signal?: AbortSignal): Promise<NotificationSettings> {
  return api.get<NotificationSettings>('/api/me/notification-settings', signal ? { signal } : {});
}

export const notificationSettingsQuery = {
  queryKey: notificationSettingsQueryKey,
  queryFn: ({ signal }: { signal?: AbortSignal }) => getNotificationSettings(signal),
  staleTime: 60_000,
};

export function useNotificationSettings() {
  return useQuery(notificationSettingsQuery);
}
