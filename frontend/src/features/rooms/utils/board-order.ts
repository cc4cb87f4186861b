import { isUnacknowledged } from '@/features/rooms/utils/room-timers';
import type { Room, Severity } from '@/features/rooms/types';

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/**
 * The line board's order: unacknowledged rooms first, then by severity (critical first),
 * then the longest open first; the room id keeps the order stable.
 */
export function compareForBoard(a: Room, b: Room): number {
  return (
    Number(!isUnacknowledged(a)) - Number(!isUnacknowledged(b)) ||
    (SEVERITY_RANK[a.severity] ?? 9) - (SEVERITY_RANK[b.severity] ?? 9) ||
    a.created_at.localeCompare(b.created_at) ||
    a.room_id.localeCompare(b.room_id)
  );
}

export function sortForBoard(rooms: readonly Room[]): Room[] {
  return [...rooms].sort(compareForBoard);
}

/**
 * Free-text filter of the board (a line, an area, a word of the title): every
 * whitespace-separated term must appear in the title, location, description or line id.
 */
export function matchesBoardFilter(room: Room & { line_id?: string | null }, filter: string): boolean {
  const terms = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return true;
  const text = [room.title, room.location ?? '', room.description ?? '', room.line_id ?? ''].join('\n').toLowerCase();
  return terms.every((term) => text.includes(term));
}
