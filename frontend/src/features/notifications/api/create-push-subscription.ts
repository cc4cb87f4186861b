import { api } from '@/lib/api-client';
import type { PushSubscriptionBody, SubscribedDevice } from '@/features/notifications/settings-types';

/** POST /api/me/push-subscriptions (this browser's `PushSubscription`) → 201 the stored subscription. */
export function createPushSubscription(body: PushSubscriptionBody): Promise<SubscribedDevice> {
  return api.post<SubscribedDevice>('/api/me/push-subscriptions', body);
}
