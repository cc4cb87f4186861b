import { delay, http, HttpResponse } from 'msw';
import { db, DEMO_PASSWORD, issueTokens, users } from '@/testing/mocks/db';

/** Same shape as the backend: {"error": {"code", "message", "details"?}}. */
export function apiError(status: number, code: string, message: string, extra: Record<string, unknown> = {}, init: ResponseInit = {}) {
  return HttpResponse.json({ error: { code, message, ...extra } }, { status, ...init });
}

function bearer(request: Request): string | null {
  const header = request.headers.get('Authorization');
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : null;
}

/** 401 unless the request carries a live access token. */
function requireAuth(request: Request) {
  const token = bearer(request);
  if (!token || !db.accessTokens.has(token)) return apiError(401, 'unauthorized', 'Token expired or invalid');
  return null;
}

export const handlers = [
  http.post('*/api/auth/login', async ({ request }) => {
    db.loginCalls += 1;
    const body = (await request.json()) as { username?: string; password?: string };
    const username = body.username ?? '';
    if (!username || !body.password || /\s/.test(username)) {
      return apiError(400, 'validation_error', 'Invalid input', { details: { username: 'invalid' } });
    }
    if (username === 'locked.user') {
      return apiError(
        423,
        'account_locked',
        'Account locked',
        { retry_after: 601 },
        { headers: { 'Retry-After': '601' } },
      );
    }
    if (username === 'ad.down') return apiError(503, 'directory_unavailable', 'Directory unavailable');
    if (!users[username] || body.password !== DEMO_PASSWORD) {
      return apiError(401, 'invalid_credentials', 'Invalid username or password');
    }
    return HttpResponse.json(issueTokens(username));
  }),

  http.post('*/api/auth/refresh', async ({ request }) => {
    db.refreshCalls += 1;
    const body = (await request.json()) as { refresh_token?: string };
    await delay(5);
    if (!body.refresh_token || !db.refreshTokens.has(body.refresh_token)) {
      return apiError(401, 'unauthorized', 'Refresh token invalid');
    }
    db.refreshTokens.delete(body.refresh_token); // rotation
    return HttpResponse.json(issueTokens());
  }),

  http.get('*/api/auth/me', ({ request }) => requireAuth(request) ?? HttpResponse.json(users['chen.editor'])),

  http.post('*/api/auth/logout', ({ request }) => {
    db.logoutCalls += 1;
    const denied = requireAuth(request);
    if (denied) return denied;
    db.accessTokens.clear();
    db.refreshTokens.clear();
    return new HttpResponse(null, { status: 204 });
  }),

  http.post('*/api/auth/ws-ticket', ({ request }) =>
    requireAuth(request) ?? HttpResponse.json({ ticket: 'ticket-123', expires_in: 60 }),
  ),

  http.get('*/api/rooms', ({ request }) => {
    const denied = requireAuth(request);
    if (denied) return denied;
    const url = new URL(request.url);
    const limit = Number(url.searchParams.get('limit') ?? 20);
    const status = url.searchParams.get('status');
    const type = url.searchParams.get('incident_type');
    const severity = url.searchParams.get('severity');
    const q = url.searchParams.get('q')?.toLowerCase();
    const cursor = Number(url.searchParams.get('cursor') ?? 0);
    const matching = db.rooms
      .filter((room) => !status || room.status === status)
      .filter((room) => !type || room.incident_type === type)
      .filter((room) => !severity || room.severity === severity)
      .filter(
        (room) =>
          !q ||
          [room.title, room.location ?? '', room.description ?? ''].some((field) => field.toLowerCase().includes(q)),
      )
      .sort((a, b) => b.last_activity_at.localeCompare(a.last_activity_at));
    const page = matching.slice(cursor, cursor + limit);
    const next = cursor + limit < matching.length ? String(cursor + limit) : null;
    return HttpResponse.json({ rooms: page, next_cursor: next });
  }),

  http.get('*/api/rooms/:roomId', ({ request, params }) => {
    const denied = requireAuth(request);
    if (denied) return denied;
    const room = db.rooms.find((r) => r.room_id === params.roomId);
    if (!room) return apiError(404, 'not_found', 'Room not found');
    return HttpResponse.json({ ...room, my_role: 'OWNER' });
  }),
];
