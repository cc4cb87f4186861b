import { describe, expect, it } from 'vitest';
import { canManage, canWrite, hasRole, ROLE_RANK, ROOM_ROLES } from '@/lib/roles';

const active = { status: 'active' };
const resolved = { status: 'resolved' };
const archived = { status: 'archived' };

describe('roles', () => {
  it('ranks OWNER > EDITOR > VIEWER, like the server', () => {
    expect([...ROOM_ROLES].sort((a, b) => ROLE_RANK[b] - ROLE_RANK[a])).toEqual(['OWNER', 'EDITOR', 'VIEWER']);
    expect(hasRole('OWNER', 'EDITOR')).toBe(true);
    expect(hasRole('EDITOR', 'EDITOR')).toBe(true);
    expect(hasRole('VIEWER', 'EDITOR')).toBe(false);
    expect(hasRole(undefined, 'VIEWER')).toBe(false);
  });

  it('canWrite: EDITOR or OWNER in a room that is not archived', () => {
    expect(canWrite('OWNER', active)).toBe(true);
    expect(canWrite('EDITOR', resolved)).toBe(true);
    expect(canWrite('VIEWER', active)).toBe(false);
    expect(canWrite('OWNER', archived)).toBe(false);
    expect(canWrite(undefined, active)).toBe(false);
    expect(canWrite('OWNER', undefined)).toBe(false);
  });

  it('canManage: OWNER in a room that is not archived', () => {
    expect(canManage('OWNER', active)).toBe(true);
    expect(canManage('EDITOR', active)).toBe(false);
    expect(canManage('OWNER', archived)).toBe(false);
  });
});
