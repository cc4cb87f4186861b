import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { rosterQueryKey } from '@/features/admin/api/get-roster';
import type { Roster, Shift } from '@/features/admin/types';

/** PUT /api/rosters/{line_id} with the whole list of shifts (administrators) → the roster. */
export function putRoster(lineId: string, shifts: Shift[]): Promise<Roster> {
  return api.put<Roster>(`/api/rosters/${encodeURIComponent(lineId)}`, { shifts });
}

export function usePutRoster(lineId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (shifts: Shift[]) => putRoster(lineId, shifts),
    onSuccess: (roster) => queryClient.setQueryData(rosterQueryKey(lineId), roster),
  });
}
