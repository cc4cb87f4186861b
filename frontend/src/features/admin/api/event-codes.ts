import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

/** The event catalog (plant-and-reports.md, "event catalog and closure codes"). */
export type RootCause = { code: string; name: string; retired?: boolean };
export type EventCode = {
  code: string;
  name: string;
  incident_type: string;
  default_severity: string;
  template_id?: string;
  escalation_policy_id?: string;
  root_causes: RootCause[];
  retired?: boolean;
};
export type EventCodeInput = Omit<EventCode, 'retired' | 'root_causes'> & { root_causes: { code: string; name: string }[] };

export const eventCodesQueryKey = ['event-codes', 'all'] as const;

/** GET /api/event-codes?include_retired=true (administrators). */
export function useEventCodes() {
  return useQuery({
    queryKey: eventCodesQueryKey,
    queryFn: ({ signal }) =>
      api.get<{ event_codes: EventCode[] }>('/api/event-codes', { query: { include_retired: true }, signal }),
  });
}

/** POST /api/event-codes (new) or PUT /api/event-codes/{code} (existing). */
export function useSaveEventCode() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ input, exists }: { input: EventCodeInput; exists: boolean }) => {
      if (!exists) return api.post<EventCode>('/api/event-codes', input);
      const { code, ...fields } = input;
      return api.put<EventCode>(`/api/event-codes/${encodeURIComponent(code)}`, fields);
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['event-codes'] }),
  });
}

/** DELETE /api/event-codes/{code}: retire (old rooms keep it). */
export function useRetireEventCode() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => api.delete(`/api/event-codes/${encodeURIComponent(code)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['event-codes'] }),
  });
}
