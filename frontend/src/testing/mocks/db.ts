import type { Member, Room, RoomTemplate } from '@/features/rooms/types';
import type { RoomRole } from '@/lib/roles';
import type { User } from '@/lib/session';
import { createMessage, type WireMessage } from '@/lib/message';

/** In-memory data behind the MSW handlers; reset before every test. */

export const DEMO_PASSWORD = 'Passw0rd!';

export const users: Record<string, User> = {
  'chen.editor': {
    user_id: 'chen.editor@plant.test',
    display_name: '陳編輯',
    department: 'Maintenance',
    is_admin: false,
  },
  'wang.owner': {
    user_id: 'wang.owner@plant.test',
    display_name: '王小明',
    department: 'Manufacturing 1',
    is_admin: false,
  },
  'lee.viewer': {
    user_id: 'lee.viewer@plant.test',
    display_name: '李檢視',
    department: 'Production',
    is_admin: false,
  },
  'huang.tech': {
    user_id: 'huang.tech@plant.test',
    display_name: '黃技術',
    department: 'Equipment',
    is_admin: false,
  },
  'lin.admin': {
    user_id: 'lin.admin@plant.test',
    display_name: '林管理',
    department: 'IT',
    is_admin: true,
  },
};

export function userById(userId: string): User | undefined {
  return Object.values(users).find((user) => user.user_id === userId);
}

export const TEMPLATES: RoomTemplate[] = [
  {
    template_id: 'tpl-equipment',
    name: '設備異常 Equipment alarm',
    incident_type: 'equipment_failure',
    default_severity: 'high',
    description: '機台：\n警報代碼 / Alarm code：',
    default_members: [{ user_id: 'huang.tech@plant.test', role: 'EDITOR' }],
    escalation_policy_id: null,
  },
  {
    template_id: 'tpl-shortage',
    name: '缺料 Material shortage',
    incident_type: 'material_shortage',
    default_severity: 'medium',
    description: '料號 / Part number：',
    default_members: [],
    escalation_policy_id: null,
  },
];

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
    acknowledged_at: null,
    acknowledged_by: null,
    escalation_level: 0,
    escalation_policy: null,
    escalation_due_at: null,
    time_to_acknowledge_s: null,
    time_to_resolve_s: null,
    area_id: null,
    line_id: null,
    station_id: null,
    equipment_id: null,
    ...overrides,
  };
}

export const db = {
  rooms: [] as Room[],
  /** GET /api/room-templates (a fresh copy of TEMPLATES per test; tests may change it). */
  templates: structuredClone(TEMPLATES),
  /** Members by room id. A room without an entry treats every caller as its OWNER. */
  members: {} as Record<string, Member[]>,
  /** Which user (username) an access / refresh token belongs to. */
  tokenUsers: new Map<string, string>(),
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
  db.templates = structuredClone(TEMPLATES);
  db.members = {};
  db.tokenUsers.clear();
  db.refreshTokens.clear();
  db.accessTokens.clear();
  db.tokenCounter = 0;
  db.refreshCalls = 0;
  db.loginCalls = 0;
  db.logoutCalls = 0;
  resetChatDb();
}

export function issueTokens(username = 'chen.editor', expiresIn = 900) {
  db.tokenCounter += 1;
  const access = `access-${db.tokenCounter}`;
  const refresh = `refresh-${db.tokenCounter}`;
  db.accessTokens.add(access);
  db.refreshTokens.add(refresh);
  const known = users[username] ? username : 'chen.editor';
  db.tokenUsers.set(access, known);
  db.tokenUsers.set(refresh, known);
  return {
    access_token: access,
    refresh_token: refresh,
    token_type: 'Bearer',
    expires_in: expiresIn,
    user: users[username] ?? users['chen.editor']!,
  };
}

/** Adds `username` to `room` with `role` (test setup). */
export function addMember(room: Room, username: string, role: RoomRole, online = false): Member {
  const user = users[username]!;
  const member: Member = {
    user_id: user.user_id,
    display_name: user.display_name,
    department: user.department,
    role,
    joined_at: room.created_at,
    online,
  };
  (db.members[room.room_id] ??= []).push(member);
  room.member_count = db.members[room.room_id]!.length;
  return member;
}

// ---------------------------------------------------------------------------------------
// Chat messages (GET /api/rooms/{id}/messages)

/** A message as the mock backend stores and sends it. */
export type MockMessage = WireMessage;

export type MockAuditEntry = {
  action: 'edit' | 'delete';
  message_id: string;
  actor_id: string;
  at: string;
  before: MockMessage['content'];
  after: MockMessage['content'];
};

export const chatDb = {
  /** Messages by room id, ascending sequence numbers. */
  messages: {} as Record<string, MockMessage[]>,
  /** Audit entries by room id, oldest first (GET /audit returns newest first). */
  audit: {} as Record<string, MockAuditEntry[]>,
};

export function resetChatDb(): void {
  chatDb.messages = {};
  chatDb.audit = {};
}

/** A message as the backend sends it; `seq` defaults to the room's next number. */
export function makeMessage(roomId: string, overrides: Partial<MockMessage> = {}): MockMessage {
  const list = chatDb.messages[roomId] ?? [];
  const seq = overrides.sequence_number ?? (list.at(-1)?.sequence_number ?? 0) + 1;
  const at = new Date(Date.UTC(2025, 10, 17, 9, 0, 0) + seq * 60_000).toISOString();
  return createMessage({
    message_id: `m-${roomId.slice(-4)}-${seq}`,
    room_id: roomId,
    sequence_number: seq,
    sender_id: 'wang.owner@plant.test',
    message_type: 'text',
    content: `message ${seq}`,
    created_at: at,
    updated_at: at,
    ...overrides,
  });
}

/** Stores messages in the mock backend (kept in sequence order). */
export function addMessages(roomId: string, ...messages: MockMessage[]): MockMessage[] {
  const list = (chatDb.messages[roomId] ??= []);
  list.push(...messages);
  list.sort((a, b) => a.sequence_number - b.sequence_number);
  return messages;
}
