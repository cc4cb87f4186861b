import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { EscalationPolicyOption } from '@/features/rooms/types';

/** Its own key: the admin feature caches the full policies under another one. */
export const escalationPolicyOptionsQueryKey = ['rooms', 'escalation-policy-options'] as const;

/** GET /api/escalation-policies (any user may list) → id and name of each, for the create-room dialog. */
export async function getEscalationPolicyOptions(signal?: AbortSignal): Promise<EscalationPolicyOption[]> {
  const body = await api.get<{ escalation_policies: EscalationPolicyOption[] }>(
    '/api/escalation-policies',
    signal ? { signal } : {},
  );
  return body.escalation_policies.map(({ policy_id, name }) => ({ policy_id, name }));
}

export function useEscalationPolicyOptions() {
  return useQuery({
    queryKey: escalationPolicyOptionsQueryKey,
    queryFn: ({ signal }) => getEscalationPolicyOptions(signal),
    staleTime: 60_000,
  });
}
