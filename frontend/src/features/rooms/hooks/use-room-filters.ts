import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import {
  INCIDENT_TYPES,
  ROOM_STATUSES,
  SEVERITIES,
  type RoomFilters,
} from '@/features/rooms/types';

function pick<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return value && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** Filters live in the URL (?status=&incident_type=&severity=&q=) so reload and Back keep them. */
export function useRoomFilters() {
  const [params, setParams] = useSearchParams();
  const status = params.get('status');
  const type = params.get('incident_type');
  const severity = params.get('severity');
  const q = params.get('q');

  const filters = useMemo<RoomFilters>(() => {
    const next: RoomFilters = {};
    const s = pick(status, ROOM_STATUSES);
    const tp = pick(type, INCIDENT_TYPES);
    const sv = pick(severity, SEVERITIES);
    const text = q?.trim();
    if (s) next.status = s;
    if (tp) next.incident_type = tp;
    if (sv) next.severity = sv;
    if (text) next.q = text;
    return next;
  }, [status, type, severity, q]);

  const setFilter = useCallback(
    (key: keyof RoomFilters, value: string | undefined) => {
      setParams(
        (previous) => {
          const next = new URLSearchParams(previous);
          if (value && value.trim()) next.set(key, value.trim());
          else next.delete(key);
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );

  const clearFilters = useCallback(() => setParams(new URLSearchParams(), { replace: true }), [setParams]);

  const hasFilters = Object.keys(filters).length > 0;
  return { filters, setFilter, clearFilters, hasFilters };
}
