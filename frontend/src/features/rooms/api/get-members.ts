import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Member } from '@/features/rooms/types';

export const membersQueryKey = (roomId: string) => ['rooms', 'members', roomId] as const;

/** GET /api/rooms/{room_id}/members → `{members: [...]}`. */
export async function getMembers(roomId: string, signal?: AbortSignal): Promise<Member[]> {
  const body = await api.get<{ members: Member[] }>(
    `/api/rooms/${encodeURIComponent(roomId)}/members`,
    signal ? { signal } : {},
  );
  return body.members;
}

export function useMembers(roomId: string) {
  return useQuery({
    queryKey: membersQueryKey(roomId),
    queryFn: ({ signal }) => getMembers(roomId, signal),
    enabled: Boolean(roomId),
  });
}
