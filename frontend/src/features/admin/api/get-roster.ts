import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Roster } from '@/features/admin/types';

export const rosterQueryKey = (lineId: string) => ['rosters', lineId] as const;

/** GET /api/rosters/{line_id} → the line's shifts (empty when none is set) and the plant's time zone. */
export function getRoster(lineId: string, signal?: AbortSignal): Promise<Roster> {
  return api.get<Roster>(`/api/rosters/${encodeURIComponent(lineId)}`, signal ? { signal } : {});
}

export function useRoster(lineId: string) {
  return useQuery({
    queryKey: rosterQueryKey(lineId),
    queryFn: ({ signal }) => getRoster(lineId, signal),
    enabled: Boolean(lineId),
  });
}
