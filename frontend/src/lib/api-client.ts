/**
 * The one HTTP client of the SPA.
 *
 * - Base URL from build-time config: `VITE_API_BASE_URL` (the API Gateway REST stage URL on
 *   AWS; empty locally = same origin). Every path starts with `/api`.
 * - Adds `Authorization: Bearer <access token>`.
 * - On a 401 it refreshes the tokens once (one refresh in flight, shared by every caller
 *   that hit the 401 at the same time) and retries the request once. If the refresh is
 *   refused the session is cleared, which sends the user to /login?returnTo=... (see
 *   RequireAuth).
 * - Refreshes proactively shortly before the access token expires.
 * - Turns `{"error": {"code", "message", "details"}}` bodies into an `ApiError`.
 */
import {
  clearSession,
  getAccessToken,
  getRefreshToken,
  getSessionEpoch,
  getSessionState,
  setUser,
  storeTokens,
  type TokenResponse,
  type User,
} from '@/lib/session';

export type ApiErrorDetails = Record<string, unknown> | unknown[] | undefined;

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ApiErrorDetails;
  /** Seconds until a retry makes sense (423 / 429 / 503), from the body or `Retry-After`. */
  readonly retryAfter: number | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { details?: ApiErrorDetails; retryAfter?: number | undefined; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = options.details;
    this.retryAfter = options.retryAfter;
  }

  get isNetworkError(): boolean {
    return this.status === 0;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

const STATUS_CODES: Record<number, string> = {
  400: 'validation_error',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'too_large',
  423: 'account_locked',
  429: 'rate_limited',
  503: 'unavailable',
};

function trimSlash(value: string): string {
  return value.replace(/\/+$/, '');
}

export function getApiBaseUrl(): string {
  return trimSlash(import.meta.env.VITE_API_BASE_URL ?? '');
}

/** Absolute URL of an API path (`/api/...`). Absolute so that it also works outside a browser. */
export function apiUrl(path: string): string {
  const base = getApiBaseUrl() || window.location.origin;
  return `${base}${path.startsWith('/') ? path : `/${path}`}`;
}

/**
 * WebSocket API URL: `VITE_WS_URL` when set (absolute wss:// URL on AWS, or a path),
 * otherwise `/ws` on this origin with ws:// or wss:// following the page's protocol.
 */
export function getWebSocketUrl(location: Pick<Location, 'protocol' | 'host'> = window.location): string {
  const configured = (import.meta.env.VITE_WS_URL ?? '').trim();
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  if (!configured) return `${scheme}//${location.host}/ws`;
  if (configured.startsWith('/')) return `${scheme}//${location.host}${configured}`;
  return configured;
}

function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(header);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.round((date - Date.now()) / 1000));
}

/** Builds an ApiError from a non-2xx response, tolerating bodies that are not our JSON shape. */
export async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    const text = await response.text();
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (an HTML error page from a proxy, say): fall back to the status
  }
  const error =
    body && typeof body === 'object' && 'error' in body && body.error && typeof body.error === 'object'
      ? (body.error as Record<string, unknown>)
      : undefined;
  const code =
    typeof error?.code === 'string' ? error.code : (STATUS_CODES[response.status] ?? `http_${response.status}`);
  const message =
    typeof error?.message === 'string' && error.message
      ? error.message
      : response.statusText || `HTTP ${response.status}`;
  const bodyRetry = typeof error?.retry_after === 'number' ? error.retry_after : undefined;
  return new ApiError(response.status, code, message, {
    details: error?.details as ApiErrorDetails,
    retryAfter: bodyRetry ?? parseRetryAfter(response.headers.get('Retry-After')),
  });
}

function networkError(cause: unknown): ApiError {
  return new ApiError(0, 'network_error', 'Network error', { cause });
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

export type QueryValue = string | number | boolean | null | undefined;

export type RequestOptions = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** A body sent as it is (CSV text, file bytes) with this `Content-Type`, instead of JSON. */
  raw?: { body: string | Blob | ArrayBuffer | Uint8Array<ArrayBuffer>; contentType: string };
  query?: Record<string, QueryValue>;
  /** false for login/refresh: no token, and a 401 is an answer, not an expired session. */
  auth?: boolean;
  signal?: AbortSignal;
  headers?: Record<string, string>;
};

function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const url = apiUrl(path);
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${url}?${qs}` : url;
}

async function send(path: string, options: RequestOptions, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (options.raw) headers['Content-Type'] = options.raw.contentType;
  else if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    return await fetch(buildUrl(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body: options.raw ? options.raw.body : options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (isAbort(error)) throw error;
    throw networkError(error);
  }
}

async function parseBody<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

// ---------------------------------------------------------------------------------------
// Token refresh

let refreshInFlight: Promise<void> | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | null = null;

/** Seconds before expiry at which the proactive refresh runs. */
export const REFRESH_MARGIN_SECONDS = 60;

export function refreshDelaySeconds(expiresIn: number): number {
  if (expiresIn > 2 * REFRESH_MARGIN_SECONDS) return expiresIn - REFRESH_MARGIN_SECONDS;
  return Math.max(1, expiresIn * 0.75);
}

export function cancelScheduledRefresh(): void {
  if (refreshTimer !== null) clearTimeout(refreshTimer);
  refreshTimer = null;
}

function scheduleRefresh(expiresIn: number): void {
  cancelScheduledRefresh();
  if (!Number.isFinite(expiresIn) || expiresIn <= 0) return;
  refreshTimer = setTimeout(() => {
    refreshTimer = null;
    // A failure here is not fatal: a refused refresh already cleared the session, and a
    // network failure leaves the next 401 to try again.
    refreshSession().catch(() => undefined);
  }, refreshDelaySeconds(expiresIn) * 1000);
}

/** Keeps a login/refresh answer: tokens, user, and the proactive refresh timer. */
export function establishSession(tokens: TokenResponse): void {
  storeTokens(tokens);
  scheduleRefresh(tokens.expires_in);
}

/** Ends the session locally (no server call). */
export function endSession(reason: 'logout' | 'expired'): void {
  cancelScheduledRefresh();
  clearSession(reason);
}

async function doRefresh(): Promise<void> {
  const refreshToken = getRefreshToken();
  if (!refreshToken) {
    if (getSessionState().status !== 'anonymous') endSession('expired');
    throw new ApiError(401, 'unauthorized', 'Not logged in');
  }
  const startedIn = getSessionEpoch();
  let response: Response;
  try {
    response = await fetch(apiUrl('/api/auth/refresh'), {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify({ refresh_token: refreshToken }),
    });
  } catch (error) {
    throw networkError(error); // transient: keep the session, a later call tries again
  }
  if (!response.ok) {
    const error = await toApiError(response);
    // 5xx is the server's trouble, not a verdict on the session; everything else is.
    if (response.status < 500) endSession('expired');
    throw error;
  }
  const tokens = await parseBody<TokenResponse>(response);
  if (startedIn !== getSessionEpoch()) {
    throw new ApiError(401, 'unauthorized', 'Session ended during refresh');
  }
  establishSession(tokens);
  if (!tokens.user && getSessionState().status !== 'authenticated') {
    setUser(await apiRequest<User>('/api/auth/me'));
  }
}

/** Refreshes the token pair; concurrent callers share one request. */
export function refreshSession(): Promise<void> {
  refreshInFlight ??= doRefresh().finally(() => {
    refreshInFlight = null;
  });
  return refreshInFlight;
}

/**
 * After a reload only the refresh token is left (sessionStorage): trade it for an access
 * token and the user. Resolves to whether a session is active.
 */
export async function restoreSession(): Promise<boolean> {
  const { status } = getSessionState();
  if (status === 'authenticated') return true;
  if (status === 'anonymous') return false;
  try {
    await refreshSession();
  } catch {
    if (getSessionState().status === 'restoring') endSession('expired');
  }
  return getSessionState().status === 'authenticated';
}

// ---------------------------------------------------------------------------------------
// Requests

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const auth = options.auth ?? true;
  if (auth && !getAccessToken() && getRefreshToken()) {
    await refreshSession();
  }
  const usedToken = auth ? getAccessToken() : null;
  let response = await send(path, options, usedToken);

  if (response.status === 401 && auth) {
    const current = getAccessToken();
    // Someone else may have refreshed while this request was on the wire: just retry.
    if (!current || current === usedToken) {
      await refreshSession();
    }
    response = await send(path, options, getAccessToken());
    if (response.status === 401) {
      const error = await toApiError(response);
      endSession('expired');
      throw error;
    }
  }

  if (!response.ok) throw await toApiError(response);
  return parseBody<T>(response);
}

export const api = {
  get: <T>(path: string, options: Omit<RequestOptions, 'method' | 'body'> = {}) =>
    apiRequest<T>(path, { ...options, method: 'GET' }),
  post: <T>(path: string, body?: unknown, options: Omit<RequestOptions, 'method' | 'body'> = {}) =>
    apiRequest<T>(path, { ...options, method: 'POST', body }),
  put: <T>(path: string, body?: unknown, options: Omit<RequestOptions, 'method' | 'body'> = {}) =>
    apiRequest<T>(path, { ...options, method: 'PUT', body }),
  patch: <T>(path: string, body?: unknown, options: Omit<RequestOptions, 'method' | 'body'> = {}) =>
    apiRequest<T>(path, { ...options, method: 'PATCH', body }),
  delete: <T = void>(path: string, options: Omit<RequestOptions, 'method' | 'body'> = {}) =>
    apiRequest<T>(path, { ...options, method: 'DELETE' }),
};
