import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { webhooksQueryKey, type Webhook, type WebhookEvent } from '@/features/admin/api/get-webhooks';

export type WebhookInput = { url: string; events: WebhookEvent[]; description?: string };
/** The 201 answer: the webhook plus its signing secret — the only time the secret is shown. */
export type CreatedWebhook = Webhook & { secret: string };

/** POST /api/webhooks (201; 400 names the field, e.g. `url` refused by the SSRF guard). */
export function createWebhook(input: WebhookInput): Promise<CreatedWebhook> {
  return api.post<CreatedWebhook>('/api/webhooks', input);
}

export function useCreateWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createWebhook,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: webhooksQueryKey }),
  });
}
