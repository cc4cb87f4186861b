import { delay, http, HttpResponse } from 'msw';
import type { Member, Room } from '@/features/rooms/types';
import { INCIDENT_TYPES, SEVERITIES } from '@/features/rooms/types';
import { ROOM_ROLES, type RoomRole } from '@/lib/roles';
import type { User } from '@/lib/session';
import { chatDb, db, DEMO_PASSWORD, issueTokens, userById, users } from '@/testing/mocks/db';
import { locate } from '@/testing/mocks/plant-db';
import { responseDb } from '@/testing/mocks/response-db';

/** Same shape as the backend: {"error": {"code", "message", "details"?}}. */
export function apiError(status: number, code: string, message: string, extra: Record<string, unknown> = {}, init: ResponseInit = {}) {
  return HttpResponse.json({ error: { code, message, ...extra } }, { status, ...init });
}

function bearer(request: Request): string | null {
  const header = request.headers.get('Authorization');
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : null;
}

/** 401 unless the request carries a live access token. */
export function requireAuth(request: Request) {
  const token = bearer(request);
  if (!token || !db.accessTokens.has(token)) return apiError(401, 'unauthorized', 'Token expired or invalid');
  return null;
}

/** The user behind the request's access token. */
export function caller(request: Request): User {
  const username = db.tokenUsers.get(bearer(request) ?? '') ?? 'chen.editor';
  return users[username] ?? users['chen.editor']!;
}

function roleOf(room: Room, user: User): RoomRole | null {
  if (user.is_admin) return 'OWNER';
  const members = db.members[room.room_id];
  if (!members) return 'OWNER';
  return members.find((member) => member.user_id === user.user_id)?.role ?? null;
}

export type Detail = { field: string; message: string };

/** Whole seconds between two ISO times (the backend's `time_to_*`). */
export function secondsSince(from: string, to: string): number {
  return Math.max(0, Math.floor((Date.parse(to) - Date.parse(from)) / 1000));
}

export function validationError(details: Detail[], message = 'Invalid input') {
  return apiError(400, 'validation_error', message, { details });
}

function checkRoomFields(body: Record<string, unknown>, partial: boolean): Detail[] {
  const details: Detail[] = [];
  if (!partial || 'title' in body) {
    const title = body.title;
    if (typeof title !== 'string' || !title.trim()) details.push({ field: 'title', message: 'Field required' });
    else if (title.length > 200) details.push({ field: 'title', message: 'String should have at most 200 characters' });
  }
  if (body.incident_type !== undefined && !(INCIDENT_TYPES as readonly unknown[]).includes(body.incident_type)) {
    details.push({ field: 'incident_type', message: 'Input should be a valid incident type' });
  }
  if (body.severity !== undefined && !(SEVERITIES as readonly unknown[]).includes(body.severity)) {
    details.push({ field: 'severity', message: 'Input should be a valid severity' });
  }
  if (typeof body.location === 'string' && body.location.length > 200) {
    details.push({ field: 'location', message: 'String should have at most 200 characters' });
  }
  for (const key of ['line_id', 'station_id'] as const) {
    if (body[key] != null && (typeof body[key] !== 'string' || !NODE_ID.test(body[key]))) {
      details.push({ field: key, message: `String should match pattern '${NODE_ID.source}'` });
    }
  }
  if (body.equipment_id != null) {
    if (typeof body.equipment_id !== 'string') details.push({ field: 'equipment_id', message: 'Input should be a valid string' });
    else if (!body.equipment_id.length) details.push({ field: 'equipment_id', message: 'String should have at least 1 character' });
    else if (body.equipment_id.length > 64) details.push({ field: 'equipment_id', message: 'String should have at most 64 characters' });
  }
  return details;
}

const NODE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

type Place = { area_id: string | null; line_id: string | null; station_id: string | null };

/** `_place` of chalicelib/rooms/service.py: a station needs its line; unknown ids are a 400 naming the field. */
function placeOf(lineId: unknown, stationId: unknown): Place | Response {
  if (lineId == null) {
    if (stationId != null) return validationError([{ field: 'line_id', message: 'field required' }], 'A station needs its line');
    return { area_id: null, line_id: null, station_id: null };
  }
  const found = locate(String(lineId), stationId == null ? null : String(stationId));
  if ('detail' in found) return validationError([found.detail], found.message);
  return found.place;
}

type RoomLookup = { room: Room; user: User; role: RoomRole } | { response: Response };

export function findRoom(request: Request, roomId: unknown): RoomLookup {
  const denied = requireAuth(request);
  if (denied) return { response: denied };
  const room = db.rooms.find((r) => r.room_id === roomId);
  if (!room) return { response: apiError(404, 'not_found', 'Room not found') };
  const user = caller(request);
  const role = roleOf(room, user);
  if (!role) return { response: apiError(403, 'forbidden', 'Not a member of this room') };
  return { room, user, role };
}

function ownerCount(members: Member[]): number {
  return members.filter((member) => member.role === 'OWNER').length;
}

const LAST_OWNER = 'A room needs at least one OWNER; promote someone first';

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
    const username = db.tokenUsers.get(body.refresh_token);
    db.refreshTokens.delete(body.refresh_token); // rotation
    return HttpResponse.json(issueTokens(username));
  }),

  http.get('*/api/auth/me', ({ request }) => requireAuth(request) ?? HttpResponse.json(caller(request))),

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
    const areaId = url.searchParams.get('area_id');
    const lineId = url.searchParams.get('line_id');
    for (const [key, value] of [['area_id', areaId], ['line_id', lineId]] as const) {
      if (value !== null && !NODE_ID.test(value)) {
        return validationError([{ field: key, message: `String should match pattern '${NODE_ID.source}'` }]);
      }
    }
    const scope = url.searchParams.get('scope') ?? 'mine';
    if (scope !== 'mine' && scope !== 'all') return validationError([{ field: 'scope', message: "Input should be 'mine' or 'all'" }]);
    if (scope === 'all' && !caller(request).is_admin) return apiError(403, 'forbidden', 'Only administrators may list all rooms');
    const cursor = Number(url.searchParams.get('cursor') ?? 0);
    const matching = db.rooms
      .filter((room) => !status || room.status === status)
      .filter((room) => !type || room.incident_type === type)
      .filter((room) => !severity || room.severity === severity)
      .filter((room) => !areaId || room.area_id === areaId)
      .filter((room) => !lineId || room.line_id === lineId)
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
    const found = findRoom(request, params.roomId);
    if ('response' in found) return found.response;
    return HttpResponse.json({ ...found.room, my_role: found.role });
  }),

  http.post('*/api/rooms', async ({ request }) => {
    const denied = requireAuth(request);
    if (denied) return denied;
    const body = (await request.json()) as Record<string, unknown>;
    const template = db.templates.find((tpl) => tpl.template_id === body.template_id);
    if (body.template_id !== undefined && !template) return apiError(404, 'not_found', 'No such template');
    const details = checkRoomFields(body, false);
    if (details.length) return validationError(details);
    const incidentType = body.incident_type ?? template?.incident_type;
    if (!incidentType) {
      return validationError([{ field: 'incident_type', message: 'field required' }], 'incident_type is required without a template');
    }
    if (body.escalation_policy_id != null && (typeof body.escalation_policy_id !== 'string' || !UUID.test(body.escalation_policy_id))) {
      return validationError([{ field: 'escalation_policy_id', message: `String should match pattern '${UUID.source}'` }]);
    }
    // like the backend: an explicit null falls back to the template's policy too
    const policyId = (body.escalation_policy_id as string | null | undefined) || template?.escalation_policy_id;
    const policy = policyId ? responseDb.policies.find((p) => p.policy_id === policyId) : null;
    if (policyId && !policy) return apiError(404, 'not_found', 'Escalation policy not found');
    const place = placeOf(body.line_id, body.station_id);
    if (place instanceof Response) return place;
    const user = caller(request);
    const now = new Date().toISOString();
    const room: Room = {
      room_id: `10000000-0000-4000-8000-${String(db.rooms.length + 1).padStart(12, '0')}`,
      title: String(body.title).trim(),
      incident_type: incidentType as Room['incident_type'],
      severity: (body.severity ?? template?.default_severity ?? 'medium') as Room['severity'],
      status: 'active',
      location: (body.location as string | undefined) ?? null,
      description: (body.description as string | undefined) ?? template?.description ?? null,
      created_by: user.user_id,
      created_at: now,
      updated_at: now,
      last_activity_at: now,
      member_count: 1,
      resolved_at: null,
      resolution_note: null,
      template_id: template?.template_id ?? null,
      acknowledged_at: null,
      acknowledged_by: null,
      escalation_level: 0,
      escalation_policy: policy ? { policy_id: policy.policy_id, name: policy.name } : null,
      escalation_due_at: null,
      time_to_acknowledge_s: null,
      time_to_resolve_s: null,
      ...place,
      equipment_id: (body.equipment_id as string | undefined) ?? null,
    };
    db.rooms.push(room);
    db.members[room.room_id] = [
      {
        user_id: user.user_id,
        display_name: user.display_name,
        department: user.department,
        role: 'OWNER',
        joined_at: now,
        online: true,
      },
    ];
    return HttpResponse.json(room, { status: 201 });
  }),

  http.patch('*/api/rooms/:roomId', async ({ request, params }) => {
    const found = findRoom(request, params.roomId);
    if ('response' in found) return found.response;
    const { room, role } = found;
    const body = (await request.json()) as Record<string, unknown>;
    if (role === 'VIEWER') return apiError(403, 'forbidden', 'Viewers cannot change the room');
    if (role === 'EDITOR' && Object.keys(body).some((key) => !['status', 'severity', 'resolution_note'].includes(key))) {
      return apiError(403, 'forbidden', 'Editors may change only status and severity');
    }
    if (room.status === 'archived') return apiError(409, 'conflict', 'The room is archived');
    const details = checkRoomFields(body, true);
    if (details.length) return validationError(details);
    const now = new Date().toISOString();
    if ('line_id' in body || 'station_id' in body) {
      const place = placeOf('line_id' in body ? body.line_id : room.line_id, body.station_id);
      if (place instanceof Response) return place;
      Object.assign(room, place);
    }
    if (body.status !== undefined && body.status !== room.status) {
      if (body.status === 'resolved') {
        const note = typeof body.resolution_note === 'string' ? body.resolution_note.trim() : '';
        if (!note) {
          return validationError([{ field: 'resolution_note', message: 'field required' }], 'Resolving needs a resolution note');
        }
        if (room.status !== 'active') return apiError(409, 'conflict', 'Only an active room can be resolved');
        room.resolution_note = note;
        room.resolved_at = now;
        // resolving acknowledges a room nobody took, at the same moment
        if (!room.acknowledged_at) Object.assign(room, { acknowledged_at: now, acknowledged_by: found.user.user_id });
        room.time_to_acknowledge_s ??= secondsSince(room.created_at, room.acknowledged_at!);
        room.time_to_resolve_s = secondsSince(room.created_at, now);
      } else if (body.status === 'active') {
        if (room.status !== 'resolved') return apiError(409, 'conflict', 'Only a resolved room can be reopened');
      } else if (body.status === 'archived') {
        if (role !== 'OWNER') return apiError(403, 'forbidden', 'Only an OWNER can archive');
      } else {
        return validationError([{ field: 'status', message: 'Input should be a valid status' }]);
      }
      room.status = body.status as Room['status'];
    }
    for (const key of ['title', 'incident_type', 'severity', 'location', 'description', 'equipment_id'] as const) {
      if (body[key] !== undefined) Object.assign(room, { [key]: body[key] });
    }
    room.updated_at = now;
    return HttpResponse.json(room);
  }),

  http.delete('*/api/rooms/:roomId', ({ request, params }) => {
    const found = findRoom(request, params.roomId);
    if ('response' in found) return found.response;
    if (found.role !== 'OWNER') return apiError(403, 'forbidden', 'Only an OWNER can archive');
    if (found.room.status === 'archived') return apiError(409, 'conflict', 'The room is archived');
    found.room.status = 'archived';
    return new HttpResponse(null, { status: 204 });
  }),

  // History: newest first before a sequence number, or oldest first after one (resync).
  http.get('*/api/rooms/:roomId/messages', ({ request, params }) => {
    const found = findRoom(request, params.roomId);
    if ('response' in found) return found.response;
    const url = new URL(request.url);
    const limit = Number(url.searchParams.get('limit') ?? 50);
    const before = url.searchParams.get('before');
    const after = url.searchParams.get('after_seq');
    const all = chatDb.messages[found.room.room_id] ?? [];
    if (after !== null) {
      const items = all.filter((m) => m.sequence_number > Number(after));
      const page = items.slice(0, limit);
      const more = items.length > limit;
      return HttpResponse.json({
        messages: page,
        has_more: more,
        next_before: null,
        next_after_seq: more ? page.at(-1)!.sequence_number : null,
      });
    }
    const items = all.filter((m) => before === null || m.sequence_number < Number(before)).reverse();
    const page = items.slice(0, limit);
    const more = items.length > limit;
    return HttpResponse.json({ messages: page, has_more: more, next_before: more ? page.at(-1)!.sequence_number : null });
  }),

  http.get('*/api/rooms/:roomId/members', ({ request, params }) => {
    const found = findRoom(request, params.roomId);
    if ('response' in found) return found.response;
    return HttpResponse.json({ members: db.members[found.room.room_id] ?? [] });
  }),

  http.post('*/api/rooms/:roomId/members', async ({ request, params }) => {
    const found = findRoom(request, params.roomId);
    if ('response' in found) return found.response;
    if (found.role !== 'OWNER') return apiError(403, 'forbidden', 'Only an OWNER can add members');
    const body = (await request.json()) as { user_id?: string; role?: string };
    if (!(ROOM_ROLES as readonly unknown[]).includes(body.role)) {
      return validationError([{ field: 'role', message: 'Input should be OWNER, EDITOR or VIEWER' }]);
    }
    const user = userById(body.user_id ?? '');
    if (!user) return apiError(404, 'not_found', 'No such user (they must have logged in once)');
    const members = (db.members[found.room.room_id] ??= []);
    if (members.some((member) => member.user_id === user.user_id)) return apiError(409, 'conflict', 'Already a member');
    const member: Member = {
      user_id: user.user_id,
      display_name: user.display_name,
      department: user.department,
      role: body.role as RoomRole,
      joined_at: new Date().toISOString(),
      online: false,
    };
    members.push(member);
    found.room.member_count = members.length;
    return HttpResponse.json(member, { status: 201 });
  }),

  http.patch('*/api/rooms/:roomId/members/:userId', async ({ request, params }) => {
    const found = findRoom(request, params.roomId);
    if ('response' in found) return found.response;
    if (found.role !== 'OWNER') return apiError(403, 'forbidden', 'Only an OWNER can change roles');
    const body = (await request.json()) as { role?: string };
    if (!(ROOM_ROLES as readonly unknown[]).includes(body.role)) {
      return validationError([{ field: 'role', message: 'Input should be OWNER, EDITOR or VIEWER' }]);
    }
    const members = db.members[found.room.room_id] ?? [];
    const member = members.find((m) => m.user_id === params.userId);
    if (!member) return apiError(404, 'not_found', 'Not a member');
    if (member.role === 'OWNER' && body.role !== 'OWNER' && ownerCount(members) === 1) {
      return apiError(409, 'conflict', LAST_OWNER);
    }
    member.role = body.role as RoomRole;
    return HttpResponse.json(member);
  }),

  http.delete('*/api/rooms/:roomId/members/:userId', ({ request, params }) => {
    const found = findRoom(request, params.roomId);
    if ('response' in found) return found.response;
    const self = params.userId === found.user.user_id;
    if (found.role !== 'OWNER' && !self) return apiError(403, 'forbidden', 'Only an OWNER can remove members');
    const members = db.members[found.room.room_id] ?? [];
    const member = members.find((m) => m.user_id === params.userId);
    if (!member) return apiError(404, 'not_found', 'Not a member');
    if (member.role === 'OWNER' && ownerCount(members) === 1) return apiError(409, 'conflict', LAST_OWNER);
    db.members[found.room.room_id] = members.filter((m) => m !== member);
    found.room.member_count = members.length - 1;
    return new HttpResponse(null, { status: 204 });
  }),

  http.get('*/api/users', ({ request }) => {
    const denied = requireAuth(request);
    if (denied) return denied;
    const q = (new URL(request.url).searchParams.get('q') ?? '').trim().toLowerCase();
    const found = Object.values(users).filter(
      (user) => !q || user.display_name.toLowerCase().startsWith(q) || user.user_id.startsWith(q),
    );
    return HttpResponse.json({ users: found });
  }),

  http.get('*/api/room-templates', ({ request }) => {
    const denied = requireAuth(request);
    if (denied) return denied;
    return HttpResponse.json({ templates: db.templates });
  }),
  // the event catalog (empty unless a test installs one with server.use)
  http.get('*/api/event-codes', ({ request }) => {
    const denied = requireAuth(request);
    if (denied) return denied;
    return HttpResponse.json({ event_codes: [] });
  }),

  // Edits and deletions (OWNER / admin), newest first; cursor = offset.
  http.get('*/api/rooms/:roomId/audit', ({ request, params }) => {
    const found = findRoom(request, params.roomId);
    if ('response' in found) return found.response;
    if (found.role !== 'OWNER') return apiError(403, 'forbidden', 'Only an OWNER can read the audit log');
    const url = new URL(request.url);
    const limit = Number(url.searchParams.get('limit') ?? 50);
    const offset = Number(url.searchParams.get('cursor') ?? 0);
    const all = [...(chatDb.audit[found.room.room_id] ?? [])].reverse();
    const page = all.slice(offset, offset + limit);
    return HttpResponse.json({ entries: page, next_cursor: offset + limit < all.length ? String(offset + limit) : null });
  }),

  // Time series of one numeric incident_data field, in time order.
  http.get('*/api/rooms/:roomId/incident-data', ({ request, params }) => {
    const found = findRoom(request, params.roomId);
    if ('response' in found) return found.response;
    const field = new URL(request.url).searchParams.get('field') ?? '';
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,39}$/.test(field)) return validationError([{ field: 'field', message: 'invalid' }]);
    const points = (chatDb.messages[found.room.room_id] ?? [])
      .filter((m) => m.message_type === 'incident_data' && !m.deleted_at && m.content && typeof m.content === 'object')
      .map((m) => {
        const content = m.content as Record<string, unknown>;
        const timestamp = typeof content.timestamp === 'string' ? content.timestamp : m.created_at;
        return { timestamp, value: content[field], message_id: m.message_id };
      })
      .filter((p): p is { timestamp: string; value: number; message_id: string } => typeof p.value === 'number')
      .sort((a, b) => a.timestamp.localeCompare(b.timestamp));
    return HttpResponse.json({ field, points });
  }),

  // Substring search over text messages of the caller's rooms, newest first; cursor = offset.
  http.get('*/api/messages/search', ({ request }) => {
    const denied = requireAuth(request);
    if (denied) return denied;
    const url = new URL(request.url);
    const q = (url.searchParams.get('q') ?? '').trim().toLowerCase();
    if (!q) return validationError([{ field: 'q', message: 'Field required' }]);
    const roomId = url.searchParams.get('room_id');
    const limit = Number(url.searchParams.get('limit') ?? 20);
    const offset = Number(url.searchParams.get('cursor') ?? 0);
    const user = caller(request);
    const rooms = db.rooms.filter((room) => (!roomId || room.room_id === roomId) && roleOf(room, user) !== null);
    const hits = rooms
      .flatMap((room) => chatDb.messages[room.room_id] ?? [])
      .filter((m) => m.message_type === 'text' && !m.deleted_at && typeof m.content === 'string')
      .map((m) => {
        // offsets in code points, like the backend
        const chars = Array.from((m.content as string).toLowerCase());
        const needle = Array.from(q);
        const highlights: Array<{ start: number; end: number }> = [];
        for (let i = 0; i + needle.length <= chars.length; i += 1) {
          if (needle.every((ch, j) => chars[i + j] === ch)) highlights.push({ start: i, end: i + needle.length });
        }
        return { message: m, highlights };
      })
      .filter((r) => r.highlights.length > 0)
      .sort((a, b) => b.message.created_at.localeCompare(a.message.created_at));
    const page = hits.slice(offset, offset + limit);
    return HttpResponse.json({ results: page, next_cursor: offset + limit < hits.length ? String(offset + limit) : null });
  }),
];
