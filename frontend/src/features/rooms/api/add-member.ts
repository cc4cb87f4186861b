import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { RoomRole } from '@/lib/roles';
import { membersQueryKey } from '@/features/rooms/api/get-members';
import type { Member } from '@/features/rooms/types';

export type AddMemberInput = { user_id: string; role: RoomRole };

/** POST /api/rooms/{room_id}/members (OWNER) → the member; 404 unknown user, 409 already a member. */
export function addMember(roomId: string, input: AddMemberInput): Promise<Member> {
  return api.post<Member>(`/api/rooms/${encodeURIComponent(roomId)}/members`, input);
}

export function useAddMember(roomId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: AddMemberInput) => addMember(roomId, input),
    onSuccess: async (member) => {
      queryClient.setQueryData<Member[]>(membersQueryKey(roomId), (previous) =>
        previous ? [...previous.filter((m) => m.user_id !== member.user_id), member] : previous,
      );
      await queryClient.invalidateQueries({ queryKey: ['rooms'] });
    },
  });
}
