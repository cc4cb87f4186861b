import { useMutation } from '@tanstack/react-query';
import { api, establishSession } from '@/lib/api-client';
import type { TokenResponse } from '@/lib/session';

export type LoginInput = { username: string; password: string };

/** POST /api/auth/login. 401 invalid_credentials, 423 account_locked, 503 directory_unavailable. */
export function login(input: LoginInput): Promise<TokenResponse> {
  return api.post<TokenResponse>('/api/auth/login', input, { auth: false });
}

export function useLogin() {
  return useMutation({
    mutationFn: login,
    onSuccess: (tokens) => establishSession(tokens),
  });
}
