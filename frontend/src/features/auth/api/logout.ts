import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api, endSession } from '@/lib/api-client';

/** POST /api/auth/logout (204): revokes the session on the server. */
export function logout(): Promise<void> {
  return api.post<void>('/api/auth/logout');
}

/** Revokes the session, then forgets everything locally and goes to /login — even if the call failed. */
export function useLogout() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: async () => {
      try {
        await logout();
      } catch {
        // The session is ended locally anyway; the server's copy expires with its TTL.
      }
    },
    onSettled: () => {
      endSession('logout');
      queryClient.clear();
      void navigate('/login', { replace: true });
    },
  });
}
