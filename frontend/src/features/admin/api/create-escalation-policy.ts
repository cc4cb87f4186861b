import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { policiesQueryKey } from '@/features/admin/api/get-escalation-policies';
import type { EscalationPolicy, PolicyInput } from '@/features/admin/types';

/** POST /api/escalation-policies (201) → the policy (administrators; 400 names the fields). */
export function createEscalationPolicy(input: PolicyInput): Promise<EscalationPolicy> {
  return api.post<EscalationPolicy>('/api/escalation-policies', input);
}

export function useCreateEscalationPolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createEscalationPolicy,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: policiesQueryKey }),
  });
}
