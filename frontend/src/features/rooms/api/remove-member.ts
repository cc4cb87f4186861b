import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { membersQueryKey } from '@/features/rooms/api/get-members';
import type { Member } from '@/features/rooms/types';

/**
 * DELETE /api/rooms/{room_id}/members/{user_id} (204): an OWNER removes someone, or a member
 * leaves. 409 when that would leave the room without an OWNER.
 */
export function removeMember(roomId: string, userId: string): Promise<void> {
  return api.delete(`/api/rooms/${encodeURIComponent(roomId)}/members/${encodeURIComponent(userId)}`);
}

export function useRemoveMember(roomId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => removeMember(roomId, userId),
    onSuccess: async (_, userId) => {
      queryClient.setQueryData<Member[]>(membersQueryKey(roomId), (previous) =>
        previous?.filter((m) => m.user_id !== userId),
      );
      await queryClient.invalidateQueries({ queryKey: ['rooms'] });
    },
  });
}
