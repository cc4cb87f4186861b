import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

/** The room events a webhook can subscribe to (chalicelib/webhooks/schemas.py EVENTS). */
export const WEBHOOK_EVENTS = ['room_created', 'room_acknowledged', 'room_escalated', 'room_resolved'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** A webhook as listed: never its secret (shown once, in the 201 answer). */
export type Webhook = {
  webhook_id: string;
  url: string;
  events: WebhookEvent[];
  description: string;
  created_by: string;
  created_at: string;
};

/** The API's limits (chalicelib/webhooks/schemas.py). */
export const WEBHOOK_LIMITS = { url: 2000, description: 200 } as const;

export const webhooksQueryKey = ['webhooks'] as const;

/** GET /api/webhooks → every webhook, oldest first (administrators). */
export async function getWebhooks(signal?: AbortSignal): Promise<Webhook[]> {
  const body = await api.get<{ webhooks: Webhook[] }>('/api/webhooks', signal ? { signal } : {});
  return body.webhooks;
}

export function useWebhooks() {
  return useQuery({ queryKey: webhooksQueryKey, queryFn: ({ signal }) => getWebhooks(signal) });
}
