import { useSyncExternalStore } from 'react';

/**
 * Client-side session: who is logged in and the tokens that prove it.
 *
 * Token storage choice:
 * - The access token (short-lived JWT, ~15 min) lives in memory only, in this module.
 *   Nothing persistent can leak it (XSS can still call the API while the page is open, but
 *   cannot exfiltrate a long-lived credential from storage).
 * - The refresh token (opaque, rotated on every use, revoked on logout, 8 h TTL) is kept in
 *   sessionStorage so that a reload in the same tab survives: on start-up the SPA trades it
 *   for a fresh access token. sessionStorage is per tab and dies with the tab, unlike
 *   localStorage, so a shared plant terminal does not stay logged in after the tab is closed.
 *   Because the server rotates the token and revokes the whole session when an old one is
 *   replayed, a stolen copy is short-lived and detectable.
 */

export type User = {
  user_id: string;
  display_name: string;
  department: string | null;
  is_admin: boolean;
  /** Administrators and members of the REPORT_GROUP directory group. */
  can_read_reports?: boolean;
};

export type TokenResponse = {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
  user?: User;
};

export type SessionStatus = 'anonymous' | 'restoring' | 'authenticated';
/** Why the last session ended: drives the message on the login page and `returnTo`. */
export type SessionEndReason = 'logout' | 'expired' | null;

export type SessionState = {
  status: SessionStatus;
  user: User | null;
  endReason: SessionEndReason;
};

export const REFRESH_TOKEN_KEY = 'irs.refresh_token';

let accessToken: string | null = null;
/** Incremented whenever the session ends, so late refresh answers can be discarded. */
let epoch = 0;
const listeners = new Set<() => void>();

function readRefreshToken(): string | null {
  try {
    return window.sessionStorage.getItem(REFRESH_TOKEN_KEY);
  } catch {
    return null;
  }
}

function writeRefreshToken(token: string | null): void {
  try {
    if (token) window.sessionStorage.setItem(REFRESH_TOKEN_KEY, token);
    else window.sessionStorage.removeItem(REFRESH_TOKEN_KEY);
  } catch {
    // Storage can be unavailable (private mode quotas); the session then lasts until reload.
  }
}

function stateFromStorage(): SessionState {
  return { status: readRefreshToken() ? 'restoring' : 'anonymous', user: null, endReason: null };
}

let state: SessionState = stateFromStorage();

function setState(next: SessionState): void {
  state = next;
  listeners.forEach((listener) => listener());
}

export function getSessionState(): SessionState {
  return state;
}

export function getSessionEpoch(): number {
  return epoch;
}

export function getAccessToken(): string | null {
  return accessToken;
}

export function getRefreshToken(): string | null {
  return readRefreshToken();
}

/** Stores a token pair (login or refresh answer) and marks the session authenticated. */
export function storeTokens(tokens: TokenResponse): void {
  accessToken = tokens.access_token;
  writeRefreshToken(tokens.refresh_token);
  const user = tokens.user ?? state.user;
  setState({ status: user ? 'authenticated' : state.status, user: user ?? null, endReason: null });
}

export function setUser(user: User): void {
  setState({ status: 'authenticated', user, endReason: null });
}

/** Forgets everything about the session (tokens, user). */
export function clearSession(reason: Exclude<SessionEndReason, null>): void {
  epoch += 1;
  accessToken = null;
  writeRefreshToken(null);
  if (state.status === 'anonymous' && state.endReason) return; // already ended; keep the first reason
  setState({ status: 'anonymous', user: null, endReason: reason });
}

/** Re-reads sessionStorage (start-up, tests). */
export function resetSessionFromStorage(): void {
  epoch += 1;
  accessToken = null;
  setState(stateFromStorage());
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): SessionState {
  return useSyncExternalStore(subscribeSession, getSessionState, getSessionState);
}
