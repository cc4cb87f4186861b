import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { policiesQueryKey } from '@/features/admin/api/get-escalation-policies';

/** DELETE /api/escalation-policies/{policy_id} (204). */
export function deleteEscalationPolicy(policyId: string): Promise<void> {
  return api.delete(`/api/escalation-policies/${encodeURIComponent(policyId)}`);
}

export function useDeleteEscalationPolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteEscalationPolicy,
    onSettled: () => queryClient.invalidateQueries({ queryKey: policiesQueryKey }),
  });
}
