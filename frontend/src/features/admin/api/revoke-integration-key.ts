import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { integrationKeysQueryKey } from '@/features/admin/api/get-integration-keys';

/** DELETE /api/integration-keys/{key_id} (204): every later event with the key is refused (401). */
export function revokeIntegrationKey(keyId: string): Promise<void> {
  return api.delete(`/api/integration-keys/${encodeURIComponent(keyId)}`);
}

export function useRevokeIntegrationKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: revokeIntegrationKey,
    onSettled: () => queryClient.invalidateQueries({ queryKey: integrationKeysQueryKey }),
  });
}
