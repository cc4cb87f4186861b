import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

export type IncidentPoint = { timestamp: string; value: number; message_id: string };

/** GET /api/rooms/{id}/incident-data?field= → the field's readings in time order. */
export type IncidentSeries = { field: string; points: IncidentPoint[] };

export function getIncidentData(roomId: string, field: string, signal?: AbortSignal): Promise<IncidentSeries> {
  return api.get<IncidentSeries>(`/api/rooms/${encodeURIComponent(roomId)}/incident-data`, {
    query: { field },
    ...(signal ? { signal } : {}),
  });
}

export function useIncidentData(roomId: string, field: string | null) {
  return useQuery({
    queryKey: ['rooms', 'incident-data', roomId, field],
    queryFn: ({ signal }) => getIncidentData(roomId, field ?? '', signal),
    enabled: Boolean(roomId && field),
    staleTime: 10_000,
  });
}
