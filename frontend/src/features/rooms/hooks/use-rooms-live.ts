import { useQueryClient } from '@tanstack/react-query';
import { useOnReconnect, useRealtimeFrames } from '@/lib/socket/hooks';
import { roomsQueryKeys } from '@/features/rooms/api/get-rooms';

/** System events that change which rooms a user sees, or how they look in the list. */
export const ROOM_LIST_EVENTS = new Set([
  'member_added',
  'member_removed',
  'room_status_changed',
  'role_changed',
  'room_updated',
]);

/**
 * Keeps room data live over the WebSocket: a room-level system frame marks every room
 * query stale (lists, details, members), so new rooms appear, status changes show and
 * rooms the user was removed from disappear, without a reload. After a reconnect
 * everything is refetched, since frames may have been missed while away.
 */
export function useRoomsLive(): void {
  const queryClient = useQueryClient();
  useRealtimeFrames('system', (frame) => {
    if (ROOM_LIST_EVENTS.has(frame.event)) void queryClient.invalidateQueries({ queryKey: roomsQueryKeys.all });
  });
  useOnReconnect(() => {
    void queryClient.invalidateQueries({ queryKey: roomsQueryKeys.all });
  });
}
