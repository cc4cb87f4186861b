import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Room } from '@/features/rooms/types';

export const roomQueryKey = (roomId: string) => ['rooms', 'detail', roomId] as const;

/** GET /api/rooms/{room_id} → the room plus `my_role`. */
export function getRoom(roomId: string, signal?: AbortSignal): Promise<Room> {
  return api.get<Room>(`/api/rooms/${encodeURIComponent(roomId)}`, signal ? { signal } : {});
}

export function useRoom(roomId: string | undefined) {
  return useQuery({
    queryKey: roomQueryKey(roomId ?? ''),
    queryFn: ({ signal }) => getRoom(roomId ?? '', signal),
    enabled: Boolean(roomId),
  });
}
