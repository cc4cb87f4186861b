import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { PushSubscriptions } from '@/features/notifications/settings-types';

export const pushSubscriptionsQueryKey = ['me', 'push-subscriptions'] as const;

/**
 * GET /api/me/push-subscriptions → the server's VAPID public key ("" when Web Push is not
 * configured) and the user's subscribed browsers.
 */
export function getPushSubscriptions(signal?: AbortSignal): Promise<PushSubscriptions> {
  return api.get<PushSubscriptions>('/api/me/push-subscriptions', signal ? { signal } : {});
}

export const pushSubscriptionsQuery = {
  queryKey: pushSubscriptionsQueryKey,
  queryFn: ({ signal }: { signal?: AbortSignal }) => getPushSubscriptions(signal),
  staleTime: 60_000,
};

export function usePushSubscriptions() {
  return useQuery(pushSubscriptionsQuery);
}
