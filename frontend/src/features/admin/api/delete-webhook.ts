import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { webhooksQueryKey } from '@/features/admin/api/get-webhooks';

/** DELETE /api/webhooks/{webhook_id} (204; queued deliveries then give up). */
export function deleteWebhook(webhookId: string): Promise<void> {
  return api.delete(`/api/webhooks/${encodeURIComponent(webhookId)}`);
}

export function useDeleteWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteWebhook,
    onSettled: () => queryClient.invalidateQueries({ queryKey: webhooksQueryKey }),
  });
}
