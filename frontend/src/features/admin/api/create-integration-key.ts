import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { integrationKeysQueryKey, type IntegrationKey } from '@/features/admin/api/get-integration-keys';

export type IntegrationKeyInput = { name: string; line_id?: string };

/** The new key with its secret: `api_key` is in this answer only (stored hashed). */
export type CreatedIntegrationKey = IntegrationKey & { api_key: string };

/** POST /api/integration-keys (201; administrators; 400 names the fields). */
export function createIntegrationKey(input: IntegrationKeyInput): Promise<CreatedIntegrationKey> {
  return api.post<CreatedIntegrationKey>('/api/integration-keys', input);
}

export function useCreateIntegrationKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createIntegrationKey,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: integrationKeysQueryKey }),
  });
}
