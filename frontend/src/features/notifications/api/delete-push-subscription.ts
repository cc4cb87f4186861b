import { apiRequest } from '@/lib/api-client';

/** DELETE /api/me/push-subscriptions {"endpoint"} → 204: the server stops pushing to that browser. */
export function deletePushSubscription(endpoint: string): Promise<void> {
  return apiRequest<void>('/api/me/push-subscriptions', { method: 'DELETE', body: { endpoint } });
}
