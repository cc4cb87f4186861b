import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

/** A root cause of an event code (plant-and-reports.md, "event catalog and closure codes"). */
export type RootCause = { code: string; name: string; retired?: boolean };
export type CatalogEventCode = {
  code: string;
  name: string;
  incident_type: string;
  default_severity: string;
  template_id?: string | null;
  escalation_policy_id?: string | null;
  root_causes: RootCause[];
};

/** GET /api/event-codes (active codes, any user): the catalog a room's closure is checked against. */
export function useActiveEventCodes(enabled = true) {
  return useQuery({
    queryKey: ['event-codes', 'active'] as const,
    queryFn: ({ signal }) => api.get<{ event_codes: CatalogEventCode[] }>('/api/event-codes', { signal }),
    staleTime: 5 * 60_000,
    enabled,
  });
}

/** The active root causes of `code` (empty: the code asks for none, or the room has no code). */
export function useRootCauses(code: string | null | undefined): { causes: RootCause[]; loading: boolean } {
  const query = useActiveEventCodes(Boolean(code));
  const entry = query.data?.event_codes.find((item) => item.code === code);
  return { causes: (entry?.root_causes ?? []).filter((cause) => !cause.retired), loading: query.isLoading };
}
