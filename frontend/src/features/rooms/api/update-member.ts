import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { RoomRole } from '@/lib/roles';
import { membersQueryKey } from '@/features/rooms/api/get-members';
import type { Member } from '@/features/rooms/types';

/** PATCH /api/rooms/{room_id}/members/{user_id} {role} (OWNER); 409 when demoting the last OWNER. */
export function updateMemberRole(roomId: string, userId: string, role: RoomRole): Promise<Member> {
  return api.patch<Member>(
    `/api/rooms/${encodeURIComponent(roomId)}/members/${encodeURIComponent(userId)}`,
    { role },
  );
}

export function useUpdateMemberRole(roomId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: RoomRole }) => updateMemberRole(roomId, userId, role),
    onSuccess: async (member) => {
      queryClient.setQueryData<Member[]>(membersQueryKey(roomId), (previous) =>
        previous?.map((m) => (m.user_id === member.user_id ? { ...m, ...member } : m)),
      );
      await queryClient.invalidateQueries({ queryKey: ['rooms'] });
    },
    onError: async () => {
      await queryClient.invalidateQueries({ queryKey: membersQueryKey(roomId) });
    },
  });
}
