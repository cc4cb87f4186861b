import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { roomQueryKey } from '@/features/rooms/api/get-room';
import { roomsQueryKeys } from '@/features/rooms/api/get-rooms';
import { acknowledgedPatch, patchRoomCaches } from '@/features/rooms/utils/patch-room-caches';
import type { Room } from '@/features/rooms/types';

/**
 * POST /api/rooms/{room_id}/acknowledge → the room (「我來處理」). EDITOR, OWNER,
 * administrators; idempotent (a second call keeps the first acknowledgement); VIEWER 403;
 * a resolved or archived room 409.
 */
export function acknowledgeRoom(roomId: string): Promise<Room> {
  return api.post<Room>(`/api/rooms/${encodeURIComponent(roomId)}/acknowledge`);
}

/**
 * Optimistic: the room shows as taken by `selfId` at once; the answer replaces that with the
 * server's record (someone faster keeps it), an error puts the room back and refetches.
 */
export function useAcknowledgeRoom(roomId: string, selfId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => acknowledgeRoom(roomId),
    onMutate: async () => {
      await queryClient.cancelQueries({ queryKey: roomQueryKey(roomId) });
      const previous = queryClient.getQueryData<Room>(roomQueryKey(roomId));
      patchRoomCaches(queryClient, roomId, acknowledgedPatch(selfId, new Date().toISOString()));
      return { previous };
    },
    onSuccess: (room) => {
      patchRoomCaches(queryClient, roomId, (cached) => ({ ...cached, ...room, my_role: room.my_role ?? cached.my_role }));
    },
    onError: (_error, _input, context) => {
      if (context?.previous) queryClient.setQueryData(roomQueryKey(roomId), context.previous);
      void queryClient.invalidateQueries({ queryKey: roomsQueryKeys.all });
    },
  });
}
