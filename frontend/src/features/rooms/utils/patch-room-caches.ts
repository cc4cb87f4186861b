import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import { boardQueryKeys } from '@/features/rooms/api/get-board-rooms';
import { roomQueryKey } from '@/features/rooms/api/get-room';
import { roomsQueryKeys, type RoomsPage } from '@/features/rooms/api/get-rooms';
import type { Room } from '@/features/rooms/types';

/**
 * Applies `update` to one room wherever it is cached (its detail, every room list page,
 * the line board), so a change shows at once everywhere before the refetch confirms it.
 */
export function patchRoomCaches(queryClient: QueryClient, roomId: string, update: (room: Room) => Room): void {
  const patch = (room: Room) => (room.room_id === roomId ? update(room) : room);
  queryClient.setQueryData<Room>(roomQueryKey(roomId), (room) => (room ? patch(room) : room));
  queryClient.setQueriesData<InfiniteData<RoomsPage>>({ queryKey: roomsQueryKeys.lists() }, (data) =>
    data ? { ...data, pages: data.pages.map((page) => ({ ...page, rooms: page.rooms.map(patch) })) } : data,
  );
  queryClient.setQueriesData<Room[]>({ queryKey: boardQueryKeys.all }, (rooms) => rooms?.map(patch));
}

/** Marks a room acknowledged (unless it already is: the first acknowledgement stands). */
export function acknowledgedPatch(by: string, at: string, timeToAcknowledge?: number | null) {
  return (room: Room): Room =>
    room.acknowledged_at
      ? room
      : {
          ...room,
          acknowledged_at: at,
          acknowledged_by: by,
          time_to_acknowledge_s: timeToAcknowledge ?? room.time_to_acknowledge_s ?? null,
        };
}
