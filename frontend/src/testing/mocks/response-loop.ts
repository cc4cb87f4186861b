import { http, HttpResponse } from 'msw';
import type { EscalationPolicy, Shift } from '@/features/admin/types';
import type { AppNotification } from '@/features/notifications/types';
import { addPolicy, responseDb } from '@/testing/mocks/response-db';
import {
  apiError,
  caller,
  findRoom,
  requireAuth,
  secondsSince,
  validationError,
  type Detail,
} from '@/testing/mocks/handlers';

// The data lives in response-db.ts (the room handlers read the policies too); re-exported for the tests.
export { addNotification, addPolicy, resetResponseDb, responseDb } from '@/testing/mocks/response-db';

/**
 * The response loop of the backend (specs/response-loop.md) over in-memory data:
 * acknowledge, the inbox, escalation policies and rosters, with the API's error shape
 * (`400 validation_error` naming pydantic-style field paths such as `steps.0.after_minutes`).
 */

const EMAIL = /^[^@\s]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,}$/;
const LINE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const ROLES = ['OWNER', 'EDITOR', 'VIEWER'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function extraFields(body: Record<string, unknown>, allowed: string[], at: string, details: Detail[]): void {
  for (const key of Object.keys(body)) {
    if (!allowed.includes(key)) details.push({ field: at ? `${at}.${key}` : key, message: 'Extra inputs are not permitted' });
  }
}

function checkInt(value: unknown, min: number, max: number, field: string, details: Detail[]): void {
  if (typeof value !== 'number' || !Number.isInteger(value)) details.push({ field, message: 'Input should be a valid integer' });
  else if (value < min) details.push({ field, message: `Input should be greater than or equal to ${min}` });
  else if (value > max) details.push({ field, message: `Input should be less than or equal to ${max}` });
}

function checkName(value: unknown, max: number, field: string, details: Detail[]): void {
  if (typeof value !== 'string') details.push({ field, message: 'Field required' });
  else if (!value.trim()) details.push({ field, message: 'String should have at least 1 character' });
  else if (value.length > max) details.push({ field, message: `String should have at most ${max} characters` });
}

function checkUsers(value: unknown, field: string, details: Detail[]): void {
  if (!Array.isArray(value)) return void details.push({ field, message: 'Input should be a valid list' });
  if (value.length > 50) return void details.push({ field, message: 'List should have at most 50 items' });
  const bad = value.find((user) => typeof user !== 'string' || !EMAIL.test(user));
  if (bad !== undefined) details.push({ field, message: `Value error, not a user id (e-mail): '${String(bad).slice(0, 60)}'` });
}

function checkSteps(steps: unknown, details: Detail[]): void {
  if (!Array.isArray(steps)) return void details.push({ field: 'steps', message: 'Input should be a valid list' });
  if (steps.length < 1) return void details.push({ field: 'steps', message: 'List should have at least 1 item after validation, not 0' });
  if (steps.length > 10) return void details.push({ field: 'steps', message: 'List should have at most 10 items after validation' });
  steps.forEach((step, i) => {
    if (!isObject(step)) return void details.push({ field: `steps.${i}`, message: 'Input should be a valid dictionary' });
    extraFields(step, ['after_minutes', 'notify'], `steps.${i}`, details);
    checkInt(step.after_minutes, 0, 10080, `steps.${i}.after_minutes`, details);
    const notify = step.notify;
    if (!isObject(notify)) return void details.push({ field: `steps.${i}.notify`, message: 'Field required' });
    extraFields(notify, ['users', 'roles', 'on_duty'], `steps.${i}.notify`, details);
    if (notify.users !== undefined) checkUsers(notify.users, `steps.${i}.notify.users`, details);
    if (notify.roles !== undefined) {
      const roles = Array.isArray(notify.roles) ? notify.roles : [null];
      roles.forEach((role, j) => {
        if (!ROLES.includes(role as string)) {
          details.push({ field: `steps.${i}.notify.roles.${j}`, message: "Input should be 'OWNER', 'EDITOR' or 'VIEWER'" });
        }
      });
    }
    if (notify.on_duty !== undefined) {
      const lines = Array.isArray(notify.on_duty) ? notify.on_duty : [null];
      const bad = lines.find((line) => typeof line !== 'string' || !LINE_ID.test(line));
      if (bad !== undefined) {
        details.push({ field: `steps.${i}.notify.on_duty`, message: `Value error, not a line id: '${String(bad)}'` });
      }
    }
  });
  const minutes = steps.map((step) => (isObject(step) ? step.after_minutes : null));
  if (minutes.every((m) => typeof m === 'number') && minutes.some((m, i) => i > 0 && (m as number) < (minutes[i - 1] as number))) {
    details.push({ field: 'steps', message: 'Value error, steps must be ordered by after_minutes' });
  }
}

/** PolicyBody / PolicyPatch (`partial`) of chalicelib/response/schemas.py. */
function checkPolicy(body: Record<string, unknown>, partial: boolean): Detail[] {
  const details: Detail[] = [];
  extraFields(body, ['name', 'steps', 'repeat'], '', details);
  if (!partial || body.name != null) checkName(body.name, 100, 'name', details);
  if (!partial || body.steps != null) checkSteps(body.steps, details);
  if (body.repeat != null) checkInt(body.repeat, 0, 5, 'repeat', details);
  return details;
}

function checkRoster(body: Record<string, unknown>): Detail[] {
  const details: Detail[] = [];
  extraFields(body, ['shifts'], '', details);
  const shifts = body.shifts;
  if (!Array.isArray(shifts)) return [{ field: 'shifts', message: 'Field required' }];
  if (shifts.length > 6) return [{ field: 'shifts', message: 'List should have at most 6 items after validation' }];
  shifts.forEach((shift, i) => {
    if (!isObject(shift)) return void details.push({ field: `shifts.${i}`, message: 'Input should be a valid dictionary' });
    extraFields(shift, ['name', 'start', 'end', 'users'], `shifts.${i}`, details);
    checkName(shift.name, 40, `shifts.${i}.name`, details);
    for (const key of ['start', 'end'] as const) {
      if (typeof shift[key] !== 'string' || !HHMM.test(shift[key])) {
        details.push({ field: `shifts.${i}.${key}`, message: `String should match pattern '${HHMM.source}'` });
      }
    }
    if (shift.users !== undefined) checkUsers(shift.users, `shifts.${i}.users`, details);
  });
  return details;
}

function requireAdmin(request: Request): Response | null {
  const denied = requireAuth(request);
  if (denied) return denied;
  if (!caller(request).is_admin) return apiError(403, 'forbidden', 'Only administrators manage escalation policies and rosters');
  return null;
}

async function jsonBody(request: Request, path: string): Promise<Record<string, unknown> | Response> {
  const body: unknown = await request.json().catch(() => null);
  responseDb.requests.push({ method: request.method, path, body });
  if (!isObject(body)) return validationError([{ field: 'body', message: 'expected an object' }]);
  return body;
}

function normalizedPolicy(body: Record<string, unknown>): Pick<EscalationPolicy, 'name' | 'steps' | 'repeat'> {
  const steps = (body.steps as EscalationPolicy['steps']).map((step) => ({
    after_minutes: step.after_minutes,
    notify: {
      users: (step.notify.users ?? []).map((u) => u.toLowerCase()),
      roles: step.notify.roles ?? [],
      on_duty: step.notify.on_duty ?? [],
    },
  }));
  return { name: String(body.name).trim(), steps, repeat: (body.repeat as number | undefined) ?? 0 };
}

function inbox(request: Request): AppNotification[] {
  return (responseDb.notifications[caller(request).user_id] ??= []);
}

export const responseLoopHandlers = [
  http.post('*/api/rooms/:roomId/acknowledge', ({ request, params }) => {
    const found = findRoom(request, params.roomId);
    if ('response' in found) return found.response;
    const { room, role, user } = found;
    if (role === 'VIEWER') return apiError(403, 'forbidden', 'This needs the EDITOR role');
    if (room.status !== 'active') return apiError(409, 'conflict', `A ${room.status} room cannot be acknowledged`);
    if (!room.acknowledged_at) {
      const now = new Date().toISOString();
      Object.assign(room, {
        acknowledged_at: now,
        acknowledged_by: user.user_id,
        escalation_due_at: null,
        updated_at: now,
        time_to_acknowledge_s: secondsSince(room.created_at, now),
      });
    }
    return HttpResponse.json({ ...room, my_role: role });
  }),

  http.get('*/api/notifications', ({ request }) => {
    const denied = requireAuth(request);
    if (denied) return denied;
    const url = new URL(request.url);
    const unread = url.searchParams.get('unread') ?? 'false';
    if (!['true', 'false'].includes(unread)) return validationError([{ field: 'unread', message: 'Input should be a valid boolean' }]);
    const limit = Number(url.searchParams.get('limit') ?? 20);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      return validationError([{ field: 'limit', message: 'Input should be less than or equal to 100' }]);
    }
    const offset = Number(url.searchParams.get('cursor') ?? 0);
    const all = inbox(request);
    const items = unread === 'true' ? all.filter((n) => !n.read_at) : all;
    return HttpResponse.json({
      notifications: items.slice(offset, offset + limit),
      next_cursor: offset + limit < items.length ? String(offset + limit) : null,
      unread_count: all.filter((n) => !n.read_at).length,
    });
  }),

  http.post('*/api/notifications/read-all', ({ request }) => {
    const denied = requireAuth(request);
    if (denied) return denied;
    responseDb.requests.push({ method: 'POST', path: '/api/notifications/read-all' });
    const now = new Date().toISOString();
    const unread = inbox(request).filter((n) => !n.read_at);
    unread.forEach((n) => (n.read_at = now));
    return HttpResponse.json({ marked: unread.length, unread_count: 0 });
  }),

  http.post('*/api/notifications/:notificationId/read', ({ request, params }) => {
    const denied = requireAuth(request);
    if (denied) return denied;
    responseDb.requests.push({ method: 'POST', path: `/api/notifications/${String(params.notificationId)}/read` });
    const notification = inbox(request).find((n) => n.notification_id === params.notificationId);
    if (!notification) return apiError(404, 'not_found', 'Notification not found');
    notification.read_at ??= new Date().toISOString();
    return HttpResponse.json(notification);
  }),

  http.get('*/api/escalation-policies', ({ request }) => {
    const denied = requireAuth(request);
    if (denied) return denied;
    return HttpResponse.json({ escalation_policies: responseDb.policies });
  }),

  http.post('*/api/escalation-policies', async ({ request }) => {
    const denied = requireAdmin(request);
    if (denied) return denied;
    const body = await jsonBody(request, '/api/escalation-policies');
    if (body instanceof Response) return body;
    const details = checkPolicy(body, false);
    if (details.length) return validationError(details);
    const policy = addPolicy(normalizedPolicy(body));
    return HttpResponse.json(policy, { status: 201 });
  }),

  http.patch('*/api/escalation-policies/:policyId', async ({ request, params }) => {
    const denied = requireAdmin(request);
    if (denied) return denied;
    const body = await jsonBody(request, `/api/escalation-policies/${String(params.policyId)}`);
    if (body instanceof Response) return body;
    const policy = responseDb.policies.find((p) => p.policy_id === params.policyId);
    if (!policy) return apiError(404, 'not_found', 'Escalation policy not found');
    const details = checkPolicy(body, true);
    if (details.length) return validationError(details);
    if (body.name == null && body.steps == null && body.repeat == null) {
      return validationError([{ field: 'body', message: 'no fields' }], 'Nothing to change');
    }
    const next = normalizedPolicy({ name: policy.name, steps: policy.steps, repeat: policy.repeat, ...body });
    Object.assign(policy, next, { updated_at: new Date().toISOString() });
    return HttpResponse.json(policy);
  }),

  http.delete('*/api/escalation-policies/:policyId', ({ request, params }) => {
    const denied = requireAdmin(request);
    if (denied) return denied;
    const index = responseDb.policies.findIndex((p) => p.policy_id === params.policyId);
    if (index < 0) return apiError(404, 'not_found', 'Escalation policy not found');
    responseDb.policies.splice(index, 1);
    return new HttpResponse(null, { status: 204 });
  }),

  http.get('*/api/rosters/:lineId', ({ request, params }) => {
    const denied = requireAuth(request);
    if (denied) return denied;
    const lineId = String(params.lineId);
    if (!LINE_ID.test(lineId)) return apiError(404, 'not_found', 'Line not found');
    return HttpResponse.json({ line_id: lineId, shifts: responseDb.rosters[lineId] ?? [], timezone: 'Asia/Taipei' });
  }),

  http.put('*/api/rosters/:lineId', async ({ request, params }) => {
    const denied = requireAdmin(request);
    if (denied) return denied;
    const lineId = String(params.lineId);
    const body = await jsonBody(request, `/api/rosters/${lineId}`);
    if (body instanceof Response) return body;
    if (!LINE_ID.test(lineId)) return apiError(404, 'not_found', 'Line not found');
    const details = checkRoster(body);
    if (details.length) return validationError(details);
    responseDb.rosters[lineId] = (body.shifts as Shift[]).map((shift) => ({
      name: shift.name.trim(),
      start: shift.start,
      end: shift.end,
      users: (shift.users ?? []).map((u) => u.toLowerCase()),
    }));
    return HttpResponse.json({ line_id: lineId, shifts: responseDb.rosters[lineId], timezone: 'Asia/Taipei' });
  }),
];
