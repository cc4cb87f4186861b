import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { PLANT_NODE_ID } from '@/lib/plant';
import {
  INCIDENT_TYPES,
  ROOM_STATUSES,
  SEVERITIES,
  type RoomFilters,
} from '@/features/rooms/types';

function pick<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return value && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** A plant node id from the URL, or nothing (the API would refuse anything else with a 400). */
export function pickNodeId(value: string | null): string | undefined {
  return value && PLANT_NODE_ID.test(value) ? value : undefined;
}

export type FilterPatch = Partial<Record<keyof RoomFilters, string | undefined>>;

/**
 * Filters live in the URL (?status=&incident_type=&severity=&q=&area_id=&line_id=) so reload
 * and Back keep them.
 */
export function useRoomFilters() {
  const [params, setParams] = useSearchParams();
  const status = params.get('status');
  const type = params.get('incident_type');
  const severity = params.get('severity');
  const q = params.get('q');
  const area = params.get('area_id');
  const line = params.get('line_id');

  const filters = useMemo<RoomFilters>(() => {
    const next: RoomFilters = {};
    const s = pick(status, ROOM_STATUSES);
    const tp = pick(type, INCIDENT_TYPES);
    const sv = pick(severity, SEVERITIES);
    const text = q?.trim();
    const areaId = pickNodeId(area);
    const lineId = pickNodeId(line);
    if (s) next.status = s;
    if (tp) next.incident_type = tp;
    if (sv) next.severity = sv;
    if (text) next.q = text;
    if (areaId) next.area_id = areaId;
    if (lineId) next.line_id = lineId;
    return next;
  }, [status, type, severity, q, area, line]);

  /** Sets several filters in one URL change (an area change also clears the line). */
  const setFilters = useCallback(
    (patch: FilterPatch) => {
      setParams(
        (previous) => {
          const next = new URLSearchParams(previous);
          for (const [key, value] of Object.entries(patch)) {
            if (value && value.trim()) next.set(key, value.trim());
            else next.delete(key);
          }
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );

  const setFilter = useCallback(
    (key: keyof RoomFilters, value: string | undefined) => setFilters({ [key]: value }),
    [setFilters],
  );

  const clearFilters = useCallback(() => setParams(new URLSearchParams(), { replace: true }), [setParams]);

  const hasFilters = Object.keys(filters).length > 0;
  return { filters, setFilter, setFilters, clearFilters, hasFilters };
}
