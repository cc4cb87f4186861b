/**
 * Room roles and what they allow, the one place the SPA decides it (the server checks again:
 * chalicelib/rooms/access.py ranks the roles the same way). Administrators get `my_role` OWNER.
 */

export const ROOM_ROLES = ['OWNER', 'EDITOR', 'VIEWER'] as const;
export type RoomRole = (typeof ROOM_ROLES)[number];

/** A role includes every role of a lower rank. */
export const ROLE_RANK: Record<RoomRole, number> = { VIEWER: 1, EDITOR: 2, OWNER: 3 };

/** What the checks need of a room (a `Room` fits). */
export type RoomState = { status: string };

/** True when `role` ranks at or above `minimum`; false without a role. */
export function hasRole(role: RoomRole | null | undefined, minimum: RoomRole): boolean {
  return role != null && ROLE_RANK[role] >= ROLE_RANK[minimum];
}

/** An archived room is read-only for everyone. */
export function isArchived(room: RoomState | null | undefined): boolean {
  return room?.status === 'archived';
}

/** May write and act in the room: send, upload, react, edit and delete own messages, change status (EDITOR, OWNER; not archived). */
export function canWrite(role: RoomRole | null | undefined, room: RoomState | null | undefined): boolean {
  return hasRole(role, 'EDITOR') && room != null && !isArchived(room);
}

/** May manage the room: its details, members, anyone's messages (OWNER; not archived). */
export function canManage(role: RoomRole | null | undefined, room: RoomState | null | undefined): boolean {
  return hasRole(role, 'OWNER') && room != null && !isArchived(room);
}
