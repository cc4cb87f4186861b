import type { Room } from '@/features/rooms/types';
import type { User } from '@/lib/session';

/** In-memory data behind the MSW handlers; reset before every test. */

export const DEMO_PASSWORD = 'Passw0rd!';

export const users: Record<string, User> = {
  'chen.editor': {
    user_id: 'chen.editor@plant.test',
    display_name: '陳編輯',
    department: 'Maintenance',
    is_admin: false,
  },
};

let roomCounter = 0;

export function makeRoom(overrides: Partial<Room> = {}): Room {
  roomCounter += 1;
  const n = roomCounter;
  const at = new Date(Date.UTC(2025, 10, 17, 10, 0, 0) - n * 60_000).toISOString();
  return {
    room_id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    title: `Line ${n} 溫度異常`,
    incident_type: 'equipment_failure',
    severity: 'high',
    status: 'active',
    location: `Plant A / Line ${n}`,
    description: 'Oven temperature above limit',
    created_by: 'chen.editor@plant.test',
    created_at: at,
    updated_at: at,
    last_activity_at: at,
    member_count: 3,
    ...overrides,
  };
}

export const db = {
  rooms: [] as Room[],
  /** Every refresh token ever issued that is still valid. */
  refreshTokens: new Set<string>(),
  accessTokens: new Set<string>(),
  tokenCounter: 0,
  refreshCalls: 0,
  loginCalls: 0,
  logoutCalls: 0,
};

export function resetDb(): void {
  roomCounter = 0;
  db.rooms = [];
  db.refreshTokens.clear();
  db.accessTokens.clear();
  db.tokenCounter = 0;
  db.refreshCalls = 0;
  db.loginCalls = 0;
  db.logoutCalls = 0;
}

export function issueTokens(username = 'chen.editor', expiresIn = 900) {
  db.tokenCounter += 1;
  const access = `access-${db.tokenCounter}`;
  const refresh = `refresh-${db.tokenCounter}`;
  db.accessTokens.add(access);
  db.refreshTokens.add(refresh);
  return {
    access_token: access,
    refresh_token: refresh,
    token_type: 'Bearer',
    expires_in: expiresIn,
    user: users[username] ?? users['chen.editor']!,
  };
}
