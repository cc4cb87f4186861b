import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  api,
  ApiError,
  establishSession,
  getWebSocketUrl,
  refreshDelaySeconds,
  restoreSession,
} from '@/lib/api-client';
import {
  getAccessToken,
  getSessionState,
  REFRESH_TOKEN_KEY,
  resetSessionFromStorage,
} from '@/lib/session';
import { getTicketedWebSocketUrl } from '@/lib/ws-ticket';
import { db, issueTokens } from '@/testing/mocks/db';
import { apiError } from '@/testing/mocks/handlers';
import { server } from '@/testing/mocks/server';
import { loginAs } from '@/testing/test-utils';

afterEach(() => {
  vi.useRealTimers();
});

describe('api client: tokens', () => {
  it('sends the access token as a Bearer header', async () => {
    const tokens = loginAs();
    let seen: string | null = null;
    server.use(
      http.get('*/api/echo', ({ request }) => {
        seen = request.headers.get('Authorization');
        return HttpResponse.json({ ok: true });
      }),
    );
    await expect(api.get('/api/echo')).resolves.toEqual({ ok: true });
    expect(seen).toBe(`Bearer ${tokens.access_token}`);
  });

  it('sends no Authorization header on auth: false calls', async () => {
    loginAs();
    let seen: string | null = 'unset';
    server.use(
      http.post('*/api/echo', ({ request }) => {
        seen = request.headers.get('Authorization');
        return HttpResponse.json({});
      }),
    );
    await api.post('/api/echo', { a: 1 }, { auth: false });
    expect(seen).toBeNull();
  });

  it('keeps the access token in memory and only the refresh token in sessionStorage', () => {
    const tokens = loginAs();
    expect(getAccessToken()).toBe(tokens.access_token);
    expect(window.sessionStorage.getItem(REFRESH_TOKEN_KEY)).toBe(tokens.refresh_token);
    const persisted = JSON.stringify({ ...window.sessionStorage, ...window.localStorage });
    expect(persisted).not.toContain(tokens.access_token);
  });

  it('refreshes once for concurrent 401s and retries every request with the new token', async () => {
    loginAs();
    db.accessTokens.clear(); // the access token has expired on the server

    const results = await Promise.all([api.get('/api/auth/me'), api.get('/api/rooms'), api.get('/api/auth/me')]);

    expect(db.refreshCalls).toBe(1);
    expect(results).toHaveLength(3);
    expect(getAccessToken()).toBe('access-2');
    expect(getSessionState().status).toBe('authenticated');
  });

  it('rotates the stored refresh token after a refresh', async () => {
    const first = loginAs();
    db.accessTokens.clear();
    await api.get('/api/auth/me');
    const stored = window.sessionStorage.getItem(REFRESH_TOKEN_KEY);
    expect(stored).not.toBe(first.refresh_token);
    expect(stored).toBe('refresh-2');
  });

  it('clears the session (reason: expired) when the refresh is refused', async () => {
    loginAs();
    db.accessTokens.clear();
    db.refreshTokens.clear(); // session revoked on the server

    const error = await api.get('/api/rooms').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect(db.refreshCalls).toBe(1);
    expect(getAccessToken()).toBeNull();
    expect(window.sessionStorage.getItem(REFRESH_TOKEN_KEY)).toBeNull();
    expect(getSessionState()).toMatchObject({ status: 'anonymous', endReason: 'expired', user: null });
  });

  it('does not retry more than once when the new token is also refused', async () => {
    loginAs();
    let calls = 0;
    server.use(
      http.get('*/api/always-401', () => {
        calls += 1;
        return apiError(401, 'unauthorized', 'nope');
      }),
    );
    await expect(api.get('/api/always-401')).rejects.toMatchObject({ status: 401 });
    expect(calls).toBe(2);
    expect(db.refreshCalls).toBe(1);
    expect(getSessionState().status).toBe('anonymous');
  });

  it('keeps the session when the refresh fails on the network', async () => {
    loginAs();
    db.accessTokens.clear();
    server.use(http.post('*/api/auth/refresh', () => HttpResponse.error()));
    await expect(api.get('/api/rooms')).rejects.toMatchObject({ code: 'network_error', status: 0 });
    expect(window.sessionStorage.getItem(REFRESH_TOKEN_KEY)).not.toBeNull();
  });

  it('restores a session after a reload from the refresh token in sessionStorage', async () => {
    const tokens = issueTokens();
    window.sessionStorage.setItem(REFRESH_TOKEN_KEY, tokens.refresh_token);
    resetSessionFromStorage();
    expect(getSessionState().status).toBe('restoring');

    await expect(restoreSession()).resolves.toBe(true);

    expect(getSessionState().user?.display_name).toBe('陳編輯');
    expect(getAccessToken()).toMatch(/^access-/);
  });

  it('schedules a refresh shortly before the access token expires', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    establishSession(issueTokens('chen.editor', 900));
    vi.advanceTimersByTime(839_000);
    expect(db.refreshCalls).toBe(0);
    vi.advanceTimersByTime(2_000);
    vi.useRealTimers();
    await vi.waitFor(() => expect(db.refreshCalls).toBe(1));
    await vi.waitFor(() => expect(getAccessToken()).toBe('access-2'));
  });

  it('computes the refresh delay with a margin before expiry', () => {
    expect(refreshDelaySeconds(900)).toBe(840);
    expect(refreshDelaySeconds(60)).toBe(45);
  });
});

describe('api client: errors', () => {
  it('turns the error body into an ApiError with code, status, message and details', async () => {
    loginAs();
    server.use(
      http.post('*/api/rooms', () =>
        apiError(400, 'validation_error', 'title is required', { details: { title: 'required' } }),
      ),
    );
    const error = (await api.post('/api/rooms', {}).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'validation_error',
      message: 'title is required',
      details: { title: 'required' },
    });
  });

  it('reads retry_after from the error body, else from the Retry-After header', async () => {
    server.use(
      http.get('*/api/body-retry', () => apiError(423, 'account_locked', 'locked', { retry_after: 120 })),
      http.get('*/api/header-retry', () =>
        HttpResponse.json({ error: { code: 'rate_limited', message: 'slow down' } }, {
          status: 429,
          headers: { 'Retry-After': '30' },
        }),
      ),
    );
    await expect(api.get('/api/body-retry', { auth: false })).rejects.toMatchObject({ retryAfter: 120 });
    await expect(api.get('/api/header-retry', { auth: false })).rejects.toMatchObject({
      retryAfter: 30,
      code: 'rate_limited',
    });
  });

  it('falls back to a code from the status when the body is not JSON', async () => {
    server.use(http.get('*/api/html', () => new HttpResponse('<h1>Bad gateway</h1>', { status: 502 })));
    const error = (await api.get('/api/html', { auth: false }).catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(502);
    expect(error.code).toBe('http_502');
  });

  it('reports a network failure as status 0 / network_error', async () => {
    server.use(http.get('*/api/down', () => HttpResponse.error()));
    const error = (await api.get('/api/down', { auth: false }).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.isNetworkError).toBe(true);
    expect(error.code).toBe('network_error');
  });

  it('answers undefined for 204 responses', async () => {
    loginAs();
    await expect(api.post('/api/auth/logout')).resolves.toBeUndefined();
  });
});

describe('websocket URL', () => {
  it('uses /ws on the same origin with ws:// or wss:// by page protocol', () => {
    expect(getWebSocketUrl({ protocol: 'http:', host: 'localhost:8000' })).toBe('ws://localhost:8000/ws');
    expect(getWebSocketUrl({ protocol: 'https:', host: 'irs.plant.test' })).toBe('wss://irs.plant.test/ws');
  });

  it('puts a single-use ticket (not the access token) in the connect URL', async () => {
    const tokens = loginAs();
    const url = await getTicketedWebSocketUrl();
    expect(url).toMatch(/^ws:\/\/localhost(:\d+)?\/ws\?ticket=ticket-123$/);
    expect(url).not.toContain(tokens.access_token);
  });
});
