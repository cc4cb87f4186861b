import { describe, expect, it } from 'vitest';
import { formatDuration, isoDuration, secondsBetween } from '@/lib/format';
import { roomTimers } from '@/features/rooms/utils/room-timers';

const created = '2025-11-17T10:00:00.000Z';
const at = (iso: string) => Date.parse(iso);

describe('roomTimers', () => {
  it('runs "waiting" from created_at while an open room is not taken', () => {
    const room = { status: 'active' as const, created_at: created, acknowledged_at: null };
    expect(roomTimers(room, at('2025-11-17T10:12:34.900Z'))).toEqual([{ kind: 'waiting', seconds: 754, running: true }]);
  });

  it('stops at time_to_acknowledge_s once taken and runs "in hand" from acknowledged_at', () => {
    const room = {
      status: 'active' as const,
      created_at: created,
      acknowledged_at: '2025-11-17T10:05:00.000Z',
      time_to_acknowledge_s: 299, // the server's number wins over the timestamps
    };
    expect(roomTimers(room, at('2025-11-17T11:05:00.000Z'))).toEqual([
      { kind: 'toAcknowledge', seconds: 299, running: false },
      { kind: 'inHand', seconds: 3600, running: true },
    ]);
  });

  it('falls back to the timestamps while time_to_* are unknown (optimistic or live-patched room)', () => {
    const room = { status: 'active' as const, created_at: created, acknowledged_at: '2025-11-17T10:02:00.000Z', time_to_acknowledge_s: null };
    expect(roomTimers(room, at('2025-11-17T10:02:00.000Z'))[0]).toEqual({ kind: 'toAcknowledge', seconds: 120, running: false });
  });

  it('stops everything when resolved: time to acknowledge and time to resolve', () => {
    const room = {
      status: 'resolved' as const,
      created_at: created,
      acknowledged_at: '2025-11-17T10:01:00.000Z',
      resolved_at: '2025-11-17T12:00:00.000Z',
      time_to_acknowledge_s: 60,
      time_to_resolve_s: 7200,
    };
    expect(roomTimers(room, at('2030-01-01T00:00:00.000Z'))).toEqual([
      { kind: 'toAcknowledge', seconds: 60, running: false },
      { kind: 'toResolve', seconds: 7200, running: false },
    ]);
  });

  it('never counts below zero when the client clock is behind the server', () => {
    const room = { status: 'active' as const, created_at: created, acknowledged_at: null };
    expect(roomTimers(room, at('2025-11-17T09:59:00.000Z'))[0]!.seconds).toBe(0);
  });
});

describe('durations', () => {
  it('formats clocks and ISO durations', () => {
    expect(formatDuration(5)).toBe('0:05');
    expect(formatDuration(754)).toBe('12:34');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(90_000)).toBe('25:00:00');
    expect(isoDuration(3725)).toBe('PT1H2M5S');
    expect(isoDuration(0)).toBe('PT0S');
    expect(secondsBetween(created, null)).toBeNull();
    expect(secondsBetween(created, '2025-11-17T10:00:09.999Z')).toBe(9);
  });
});
