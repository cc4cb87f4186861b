import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { roomQueryKey } from '@/features/rooms/api/get-room';
import { roomsQueryKeys } from '@/features/rooms/api/get-rooms';
import type { IncidentType, Room, RoomStatus, Severity } from '@/features/rooms/types';

export type UpdateRoomInput = Partial<{
  title: string;
  incident_type: IncidentType;
  severity: Severity;
  location: string;
  description: string;
  status: RoomStatus;
  resolution_note: string;
  root_cause_code: string;
  false_alarm: boolean;
  downtime_minutes: number;
}>;

/**
 * PATCH /api/rooms/{room_id} → the room. OWNER: every field; EDITOR: status, severity,
 * resolution_note. active → resolved needs `resolution_note`, and `root_cause_code` (or
 * `false_alarm: true`) when the room's event code defines root causes; archived rooms answer 409.
 */
export function updateRoom(roomId: string, input: UpdateRoomInput): Promise<Room> {
  return api.patch<Room>(`/api/rooms/${encodeURIComponent(roomId)}`, input);
}

export function useUpdateRoom(roomId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateRoomInput) => updateRoom(roomId, input),
    onSuccess: async (room) => {
      // PATCH does not carry my_role: keep the one we know.
      queryClient.setQueryData<Room>(roomQueryKey(roomId), (previous) => ({ ...previous, ...room, my_role: room.my_role ?? previous?.my_role }) as Room);
      await queryClient.invalidateQueries({ queryKey: roomsQueryKeys.lists() });
    },
    onError: async () => {
      // 409 / 403: someone else changed the room or our role; show the current state.
      await queryClient.invalidateQueries({ queryKey: roomQueryKey(roomId) });
    },
  });
}
