import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { webhooksQueryKey } from '@/features/admin/api/get-webhooks';

/** One entry of a webhook's delivery log (chalicelib/outbound `view`). */
export type WebhookDelivery = {
  delivery_id: string;
  channel: string;
  /** pending also covers "being sent" and "waiting for the next attempt". */
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  last_error: string | null;
  result: string | null;
  event: string | null;
  created_at: string;
  updated_at: string;
};

export const deliveriesQueryKey = (webhookId: string) => [...webhooksQueryKey, webhookId, 'deliveries'] as const;

/** GET /api/webhooks/{webhook_id}/deliveries → the newest deliveries first (administrators). */
export async function getWebhookDeliveries(webhookId: string, signal?: AbortSignal): Promise<WebhookDelivery[]> {
  const body = await api.get<{ deliveries: WebhookDelivery[] }>(
    `/api/webhooks/${encodeURIComponent(webhookId)}/deliveries`,
    signal ? { signal } : {},
  );
  return body.deliveries;
}

/** The log, refreshed every 5 s while shown and something is still pending. */
export function useWebhookDeliveries(webhookId: string) {
  return useQuery({
    queryKey: deliveriesQueryKey(webhookId),
    queryFn: ({ signal }) => getWebhookDeliveries(webhookId, signal),
    refetchInterval: (query) => (query.state.data?.some((d) => d.status === 'pending') ? 5_000 : false),
  });
}
