import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { policiesQueryKey } from '@/features/admin/api/get-escalation-policies';
import type { EscalationPolicy, PolicyInput } from '@/features/admin/types';

/** PATCH /api/escalation-policies/{policy_id} → the policy (open rooms keep their copy). */
export function updateEscalationPolicy(policyId: string, input: Partial<PolicyInput>): Promise<EscalationPolicy> {
  return api.patch<EscalationPolicy>(`/api/escalation-policies/${encodeURIComponent(policyId)}`, input);
}

export function useUpdateEscalationPolicy(policyId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: Partial<PolicyInput>) => updateEscalationPolicy(policyId, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: policiesQueryKey }),
  });
}
