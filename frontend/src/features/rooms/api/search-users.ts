import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { DirectoryUser } from '@/features/rooms/types';

/** GET /api/users?q= → users whose display name or e-mail starts with `q`. */
export async function searchUsers(q: string, signal?: AbortSignal): Promise<DirectoryUser[]> {
  const body = await api.get<{ users: DirectoryUser[] }>('/api/users', { query: { q }, ...(signal ? { signal } : {}) });
  return body.users;
}

/** Searches once `q` (already debounced by the caller) is not empty. */
export function useUserSearch(q: string) {
  const term = q.trim();
  return useQuery({
    queryKey: ['users', 'search', term],
    queryFn: ({ signal }) => searchUsers(term, signal),
    enabled: term.length > 0,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });
}
