import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { EscalationPolicy } from '@/features/admin/types';

export const policiesQueryKey = ['escalation-policies'] as const;

/** GET /api/escalation-policies → every policy (anyone may list; administrators manage). */
export async function getEscalationPolicies(signal?: AbortSignal): Promise<EscalationPolicy[]> {
  const body = await api.get<{ escalation_policies: EscalationPolicy[] }>(
    '/api/escalation-policies',
    signal ? { signal } : {},
  );
  return body.escalation_policies;
}

export function useEscalationPolicies() {
  return useQuery({ queryKey: policiesQueryKey, queryFn: ({ signal }) => getEscalationPolicies(signal) });
}
