import type { EscalationPolicy, Shift } from '@/features/admin/types';
import type { AppNotification } from '@/features/notifications/types';
import { users } from '@/testing/mocks/db';

/**
 * In-memory data of the response loop (inbox, escalation policies, rosters), apart from its
 * handlers (response-loop.ts) so the room handlers can read the policies without an import cycle.
 */

export const responseDb = {
  /** Each user's inbox, newest first. */
  notifications: {} as Record<string, AppNotification[]>,
  policies: [] as EscalationPolicy[],
  rosters: {} as Record<string, Shift[]>,
  counter: 0,
  /** Requests with a body (assertions). */
  requests: [] as Array<{ method: string; path: string; body?: unknown }>,
};

export function resetResponseDb(): void {
  responseDb.notifications = {};
  responseDb.policies = [];
  responseDb.rosters = {};
  responseDb.counter = 0;
  responseDb.requests = [];
}

function uuid(prefix: string, n: number): string {
  return `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/** Puts a notification in `username`'s inbox (newest first) and returns it. */
export function addNotification(username: string, overrides: Partial<AppNotification> = {}): AppNotification {
  responseDb.counter += 1;
  const n = responseDb.counter;
  const notification: AppNotification = {
    notification_id: uuid('30000000', n),
    kind: 'mention',
    room_id: '00000000-0000-4000-8000-000000000001',
    room_title: `Line ${n} 溫度異常`,
    text: `通知 ${n}`,
    created_at: new Date(Date.UTC(2025, 10, 17, 9, 0, 0) + n * 60_000).toISOString(),
    read_at: null,
    ...overrides,
  };
  const userId = users[username]?.user_id ?? username;
  (responseDb.notifications[userId] ??= []).unshift(notification);
  return notification;
}

export function addPolicy(overrides: Partial<EscalationPolicy> = {}): EscalationPolicy {
  responseDb.counter += 1;
  const at = new Date(Date.UTC(2025, 10, 1, 0, 0, 0) + responseDb.counter * 60_000).toISOString();
  const policy: EscalationPolicy = {
    policy_id: uuid('40000000', responseDb.counter),
    name: `Policy ${responseDb.counter}`,
    steps: [{ after_minutes: 5, notify: { users: [], roles: ['OWNER'], on_duty: [] } }],
    repeat: 0,
    created_at: at,
    updated_at: at,
    ...overrides,
  };
  responseDb.policies.push(policy);
  return policy;
}
