import type { Plant, PlantSite } from '@/lib/plant';

/**
 * The plant behind the mock API (chalicelib/plant/service.py): the stored tree keeps retired
 * nodes (flag `retired`), GET lists only active ones; `locate` answers like the backend's.
 * Apart from the handlers (plant.ts) so the room handlers can use it without an import cycle.
 */

type Stored<T> = T & { retired?: boolean };
export type StoredStation = Stored<{ station_id: string; name: string }>;
export type StoredLine = Stored<{ line_id: string; name: string; stations: StoredStation[] }>;
export type StoredArea = Stored<{ area_id: string; name: string; lines: StoredLine[] }>;
export type StoredSite = Stored<{ site_id: string; name: string; areas: StoredArea[] }>;

/** A small semiconductor back-end plant: front-of-line and end-of-line areas. */
export function seedPlant(): StoredSite[] {
  return [
    {
      site_id: 'S-A',
      name: 'A 廠',
      areas: [
        {
          area_id: 'A-FOL',
          name: '前段',
          lines: [
            {
              line_id: 'L-DB1',
              name: '黏晶 L1',
              stations: [
                { station_id: 'DB-01', name: '黏晶機 1' },
                { station_id: 'DB-02', name: '黏晶機 2' },
              ],
            },
            { line_id: 'L-WB2', name: '焊線 L2', stations: [{ station_id: 'WB-01', name: '焊線機 1' }] },
          ],
        },
        {
          area_id: 'A-EOL',
          name: '後段',
          lines: [
            { line_id: 'L-MD3', name: '封膠 L3', stations: [{ station_id: 'MD-01', name: '封膠機 1' }] },
            { line_id: 'L-TS5', name: '測試 L5', stations: [] },
          ],
        },
      ],
    },
  ];
}

export const plantDb = {
  sites: seedPlant(),
  /** Bodies of PUT /api/plant and POST /api/plant/import (assertions). */
  requests: [] as Array<{ method: string; path: string; contentType: string | null; body: unknown }>,
};

export function resetPlantDb(): void {
  plantDb.sites = seedPlant();
  plantDb.requests = [];
}

/** GET /api/plant: the active tree. */
export function activePlant(): Plant {
  return {
    sites: plantDb.sites
      .filter((site) => !site.retired)
      .map(
        (site): PlantSite => ({
          site_id: site.site_id,
          name: site.name,
          areas: site.areas
            .filter((area) => !area.retired)
            .map((area) => ({
              area_id: area.area_id,
              name: area.name,
              lines: area.lines
                .filter((line) => !line.retired)
                .map((line) => ({
                  line_id: line.line_id,
                  name: line.name,
                  stations: line.stations
                    .filter((station) => !station.retired)
                    .map((station) => ({ station_id: station.station_id, name: station.name })),
                })),
            })),
        }),
      ),
  };
}

type Node = { retired?: boolean } & Record<string, unknown>;
const LEVELS = [
  ['sites', 'site_id'],
  ['areas', 'area_id'],
  ['lines', 'line_id'],
  ['stations', 'station_id'],
] as const;

/** `next` plus the nodes of `old` it no longer names, marked retired (recursively), like `_merge`. */
function merge(old: Node[], next: Node[], depth = 0): Node[] {
  const key = LEVELS[depth]![1];
  const child = LEVELS[depth + 1]?.[0];
  const oldById = new Map(old.map((node) => [node[key], node]));
  const merged: Node[] = next.map((node) => {
    const copy: Node = { ...node };
    delete copy.retired;
    if (child) {
      const previous = (oldById.get(node[key])?.[child] as Node[] | undefined) ?? [];
      copy[child] = merge(previous, (node[child] as Node[] | undefined) ?? [], depth + 1);
    }
    return copy;
  });
  const named = new Set(next.map((node) => node[key]));
  for (const node of old) if (!named.has(node[key])) merged.push({ ...node, retired: true });
  return merged;
}

/** Replaces the tree; nodes left out are retired, never deleted. */
export function replacePlant(sites: PlantSite[]): Plant {
  plantDb.sites = merge(plantDb.sites as unknown as Node[], sites as unknown as Node[]) as unknown as StoredSite[];
  return activePlant();
}

export type PlaceResult =
  | { place: { area_id: string; line_id: string; station_id: string | null } }
  | { detail: { field: string; message: string }; message: string };

/** Where an active line (and station) is, or the backend's 400 detail naming the field. */
export function locate(lineId: string, stationId: string | null): PlaceResult {
  for (const site of activePlant().sites) {
    for (const area of site.areas) {
      const line = area.lines.find((candidate) => candidate.line_id === lineId);
      if (!line) continue;
      if (stationId !== null && !line.stations.some((station) => station.station_id === stationId)) {
        return {
          detail: { field: 'station_id', message: 'not a station of the line' },
          message: 'Unknown station on this line',
        };
      }
      return { place: { area_id: area.area_id, line_id: lineId, station_id: stationId } };
    }
  }
  return { detail: { field: 'line_id', message: 'not a line of the plant' }, message: 'Unknown production line' };
}
