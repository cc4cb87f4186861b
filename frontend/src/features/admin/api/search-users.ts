import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { DirectoryUser } from '@/features/admin/types';

/** GET /api/users?q= → users whose display name or e-mail starts with `q`. */
export async function searchUsers(q: string, signal?: AbortSignal): Promise<DirectoryUser[]> {
  const body = await api.get<{ users: DirectoryUser[] }>('/api/users', { query: { q }, ...(signal ? { signal } : {}) });
  return body.users;
}

const usersKey = (term: string) => ['users', 'search', term] as const;

/** Searches once `q` (already debounced by the caller) is not empty. */
export function useUserSearch(q: string) {
  const term = q.trim();
  return useQuery({
    queryKey: usersKey(term),
    queryFn: ({ signal }) => searchUsers(term, signal),
    enabled: term.length > 0,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });
}

/** The display name of a stored user id (a policy or a roster keeps ids only); the id meanwhile. */
export function useUserName(userId: string): string {
  const found = useQuery({
    queryKey: usersKey(userId),
    queryFn: ({ signal }) => searchUsers(userId, signal),
    staleTime: 5 * 60_000,
    select: (users) => users.find((user) => user.user_id === userId)?.display_name,
  });
  return found.data ?? userId;
}
