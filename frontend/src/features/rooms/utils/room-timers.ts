import { secondsBetween } from '@/lib/format';
import type { Room } from '@/features/rooms/types';

/**
 * - `waiting`: open and nobody has taken it yet — runs from `created_at`.
 * - `toAcknowledge`: how long it took to take it — stopped at `time_to_acknowledge_s`.
 * - `inHand`: taken and still open — runs from `acknowledged_at`.
 * - `toResolve`: closed — stopped at `time_to_resolve_s`.
 */
export type RoomTimerKind = 'waiting' | 'toAcknowledge' | 'inHand' | 'toResolve';
export type RoomTimer = { kind: RoomTimerKind; seconds: number; running: boolean };

export type TimedRoom = Pick<
  Room,
  'status' | 'created_at' | 'resolved_at' | 'acknowledged_at' | 'time_to_acknowledge_s' | 'time_to_resolve_s'
>;

/** True for an open room that nobody has taken yet (the 「我來處理」 state). */
export function isUnacknowledged(room: Pick<Room, 'status' | 'acknowledged_at'>): boolean {
  return room.status === 'active' && !room.acknowledged_at;
}

/**
 * The room's elapsed timers at `now` (epoch ms). Stopped timers use the server's `time_to_*`
 * when known and fall back to the timestamps (an optimistic or live-patched room has only
 * `acknowledged_at`). Running ones count on the client clock, never below zero.
 */
export function roomTimers(room: TimedRoom, now: number): RoomTimer[] {
  const timers: RoomTimer[] = [];
  const open = room.status === 'active';
  if (room.acknowledged_at) {
    const toAck = room.time_to_acknowledge_s ?? secondsBetween(room.created_at, room.acknowledged_at);
    if (toAck != null) timers.push({ kind: 'toAcknowledge', seconds: toAck, running: false });
    if (open) {
      const inHand = secondsBetween(room.acknowledged_at, now);
      if (inHand != null) timers.push({ kind: 'inHand', seconds: inHand, running: true });
    }
  } else if (open) {
    const waiting = secondsBetween(room.created_at, now);
    if (waiting != null) timers.push({ kind: 'waiting', seconds: waiting, running: true });
  }
  if (!open) {
    const toResolve = room.time_to_resolve_s ?? secondsBetween(room.created_at, room.resolved_at);
    if (toResolve != null) timers.push({ kind: 'toResolve', seconds: toResolve, running: false });
  }
  return timers;
}
