import { useQueryClient } from '@tanstack/react-query';
import type { SystemFrame } from '@/lib/socket/frames';
import { useOnReconnect, useRealtimeFrames } from '@/lib/socket/hooks';
import { roomsQueryKeys } from '@/features/rooms/api/get-rooms';
import { acknowledgedPatch, patchRoomCaches } from '@/features/rooms/utils/patch-room-caches';

/** System events that change which rooms a user sees, or how they look in the list. */
export const ROOM_LIST_EVENTS = new Set([
  'member_added',
  'member_removed',
  'room_status_changed',
  'role_changed',
  'room_updated',
  'room_acknowledged',
  'escalated',
]);

function text(value: unknown): string | null {
  return typeof value === 'string' && value ? value : null;
}

/**
 * `room_acknowledged` (room list frame: `acknowledged_at`; room history frame:
 * `timestamp` and `time_to_acknowledge_s`): shown at once in every cached copy of the room.
 */
function applyAcknowledged(queryClient: ReturnType<typeof useQueryClient>, frame: SystemFrame): void {
  const at = text(frame.acknowledged_at) ?? text(frame.timestamp);
  const by = text(frame.user_id);
  if (!at || !by) return;
  const seconds = typeof frame.time_to_acknowledge_s === 'number' ? frame.time_to_acknowledge_s : null;
  patchRoomCaches(queryClient, frame.room_id, acknowledgedPatch(by, at, seconds));
}

/**
 * Keeps room data live over the WebSocket: a room-level system frame marks every room
 * query stale (lists, details, members, the board), so new rooms appear, status changes and
 * acknowledgements show and rooms the user was removed from disappear, without a reload.
 * After a reconnect everything is refetched, since frames may have been missed while away.
 */
export function useRoomsLive(): void {
  const queryClient = useQueryClient();
  useRealtimeFrames('system', (frame) => {
    if (!ROOM_LIST_EVENTS.has(frame.event)) return;
    if (frame.event === 'room_acknowledged') applyAcknowledged(queryClient, frame);
    void queryClient.invalidateQueries({ queryKey: roomsQueryKeys.all });
  });
  useOnReconnect(() => {
    void queryClient.invalidateQueries({ queryKey: roomsQueryKeys.all });
  });
}
