import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Room, RoomFilters } from '@/features/rooms/types';

export const ROOMS_PAGE_SIZE = 20;

export type RoomsPage = { rooms: Room[]; next_cursor: string | null };

export const roomsQueryKeys = {
  all: ['rooms'] as const,
  lists: () => ['rooms', 'list'] as const,
  list: (filters: RoomFilters) => ['rooms', 'list', filters] as const,
};

/** GET /api/rooms?limit=&status=&incident_type=&severity=&q=&cursor= (newest activity first). */
export function getRooms(
  filters: RoomFilters,
  cursor?: string | null,
  signal?: AbortSignal,
): Promise<RoomsPage> {
  return api.get<RoomsPage>('/api/rooms', {
    query: { limit: ROOMS_PAGE_SIZE, ...filters, cursor: cursor ?? undefined },
    ...(signal ? { signal } : {}),
  });
}

export function useRooms(filters: RoomFilters) {
  return useInfiniteQuery({
    queryKey: roomsQueryKeys.list(filters),
    queryFn: ({ pageParam, signal }) => getRooms(filters, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor ?? undefined,
  });
}
