import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { roomsQueryKeys } from '@/features/rooms/api/get-rooms';
import type { IncidentType, Room, Severity } from '@/features/rooms/types';

export type CreateRoomInput = {
  title: string;
  incident_type?: IncidentType;
  severity?: Severity;
  location?: string;
  description?: string;
  template_id?: string;
  /** A station needs its line; the API answers 400 naming `line_id` / `station_id` when unknown. */
  line_id?: string;
  station_id?: string;
  equipment_id?: string;
  /** The event catalog's code: the server fills type, severity, template and policy from it. */
  event_code?: string;
  /** `null`: no policy (the template's otherwise); left out: the template's. */
  escalation_policy_id?: string | null;
};

/** POST /api/rooms (201) → the room; the caller becomes its OWNER. */
export function createRoom(input: CreateRoomInput): Promise<Room> {
  return api.post<Room>('/api/rooms', input);
}

export function useCreateRoom() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createRoom,
    onSuccess: async (room) => {
      queryClient.setQueryData(['rooms', 'detail', room.room_id], { ...room, my_role: room.my_role ?? 'OWNER' });
      await queryClient.invalidateQueries({ queryKey: roomsQueryKeys.lists() });
    },
  });
}
