import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { RoomsPage } from '@/features/rooms/api/get-rooms';
import type { PlaceFilter, Room } from '@/features/rooms/types';

/** `mine`: the caller's rooms; `all`: every room (administrators only). */
export type BoardScope = 'mine' | 'all';

export const BOARD_PAGE_SIZE = 100;
/** A board shows at most this many pages (500 open rooms would be a plant-wide outage). */
export const BOARD_MAX_PAGES = 5;
/** Safety net besides the socket: rooms of other users reach an administrator's board this way. */
export const BOARD_REFRESH_MS = 60_000;

export const boardQueryKeys = {
  all: ['rooms', 'board'] as const,
  scope: (scope: BoardScope) => ['rooms', 'board', scope] as const,
  place: (scope: BoardScope, place: PlaceFilter) => ['rooms', 'board', scope, place] as const,
};

/** GET /api/rooms?status=active&scope=…&area_id=&line_id= page after page: every open room (of a place). */
export async function getBoardRooms(scope: BoardScope, place: PlaceFilter = {}, signal?: AbortSignal): Promise<Room[]> {
  const rooms: Room[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < BOARD_MAX_PAGES; page += 1) {
    const body: RoomsPage = await api.get<RoomsPage>('/api/rooms', {
      query: {
        status: 'active',
        limit: BOARD_PAGE_SIZE,
        scope: scope === 'all' ? 'all' : undefined,
        area_id: place.area_id,
        line_id: place.line_id,
        cursor: cursor ?? undefined,
      },
      ...(signal ? { signal } : {}),
    });
    rooms.push(...body.rooms);
    cursor = body.next_cursor;
    if (!cursor) break;
  }
  return rooms;
}

export function useBoardRooms(scope: BoardScope, place: PlaceFilter = {}) {
  return useQuery({
    queryKey: boardQueryKeys.place(scope, place),
    queryFn: ({ signal }) => getBoardRooms(scope, place, signal),
    refetchInterval: BOARD_REFRESH_MS,
    refetchIntervalInBackground: true,
  });
}
