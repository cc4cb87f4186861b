import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

/** An integration key as listed: never its secret (`key_hint` is its first characters). */
export type IntegrationKey = {
  key_id: string;
  name: string;
  /** The one line the key may raise events for; null: any line (the event names it). */
  line_id: string | null;
  key_hint: string;
  created_by: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
};

/** The API's limits (chalicelib/integrations/schemas.py). */
export const INTEGRATION_KEY_LIMITS = { name: 100 } as const;

export const integrationKeysQueryKey = ['integration-keys'] as const;

/** GET /api/integration-keys → every key, newest first (administrators). */
export async function getIntegrationKeys(signal?: AbortSignal): Promise<IntegrationKey[]> {
  const body = await api.get<{ integration_keys: IntegrationKey[] }>('/api/integration-keys', signal ? { signal } : {});
  return body.integration_keys;
}

export function useIntegrationKeys() {
  return useQuery({ queryKey: integrationKeysQueryKey, queryFn: ({ signal }) => getIntegrationKeys(signal) });
}
