import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { User } from '@/lib/session';

export const meQueryKey = ['auth', 'me'] as const;

/** GET /api/auth/me → the logged-in user. */
export function getMe(): Promise<User> {
  return api.get<User>('/api/auth/me');
}

export function useMe(enabled = true) {
  return useQuery({ queryKey: meQueryKey, queryFn: getMe, enabled });
}
