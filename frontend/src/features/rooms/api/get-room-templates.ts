import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { RoomTemplate } from '@/features/rooms/types';

export const roomTemplatesQueryKey = ['room-templates'] as const;

/** GET /api/room-templates → `{templates: [...]}`. */
export async function getRoomTemplates(signal?: AbortSignal): Promise<RoomTemplate[]> {
  const body = await api.get<{ templates: RoomTemplate[] }>('/api/room-templates', signal ? { signal } : {});
  return body.templates;
}

export function useRoomTemplates() {
  return useQuery({
    queryKey: roomTemplatesQueryKey,
    queryFn: ({ signal }) => getRoomTemplates(signal),
    staleTime: 5 * 60_000,
  });
}
