/**
 * The plant hierarchy (`GET /api/plant`, any signed-in user): sites → areas → lines → stations.
 * Shared by the rooms feature (create dialog, filters, place of a room) and the admin plant
 * page, so it lives here and not in either feature. Only active nodes are listed; retired
 * ones (removed by an administrator) are left out, so an old room may name an id that is no
 * longer here — `describePlace` then shows the id.
 */
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

export type PlantStation = { station_id: string; name: string };
export type PlantLine = { line_id: string; name: string; stations: PlantStation[] };
export type PlantArea = { area_id: string; name: string; lines: PlantLine[] };
export type PlantSite = { site_id: string; name: string; areas: PlantArea[] };
export type Plant = { sites: PlantSite[] };

/** The ids the API accepts for plant nodes (chalicelib/plant/schemas.py NODE_ID). */
export const PLANT_NODE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export const plantQueryKey = ['plant'] as const;

/** GET /api/plant → `{sites: [...]}` (empty before an administrator sets it up). */
export function getPlant(signal?: AbortSignal): Promise<Plant> {
  return api.get<Plant>('/api/plant', signal ? { signal } : {});
}

/** The plant changes rarely (an administrator's import): cached for ten minutes. */
export function usePlant() {
  return useQuery({ queryKey: plantQueryKey, queryFn: ({ signal }) => getPlant(signal), staleTime: 10 * 60_000 });
}

/** An area with the label to show it by (`site / area` when the plant has several sites). */
export type AreaOption = { area_id: string; label: string; lines: PlantLine[] };

/** Every area in plant order; the site's name is part of the label only when there are several sites. */
export function areaOptions(plant: Plant | undefined): AreaOption[] {
  const sites = plant?.sites ?? [];
  const several = sites.length > 1;
  return sites.flatMap((site) =>
    site.areas.map((area) => ({
      area_id: area.area_id,
      label: several ? `${site.name} / ${area.name}` : area.name,
      lines: area.lines,
    })),
  );
}

/** The line with this id and the area it belongs to. */
export function findLine(
  plant: Plant | undefined,
  lineId: string | null | undefined,
): { line: PlantLine; area: PlantArea; site: PlantSite } | undefined {
  if (!plant || !lineId) return undefined;
  for (const site of plant.sites) {
    for (const area of site.areas) {
      const line = area.lines.find((candidate) => candidate.line_id === lineId);
      if (line) return { line, area, site };
    }
  }
  return undefined;
}

export function findArea(plant: Plant | undefined, areaId: string | null | undefined): PlantArea | undefined {
  if (!plant || !areaId) return undefined;
  for (const site of plant.sites) {
    const area = site.areas.find((candidate) => candidate.area_id === areaId);
    if (area) return area;
  }
  return undefined;
}

/** Where a room is, as names (ids when the plant does not know them, e.g. a retired line). */
export type PlaceNames = { area?: string; line?: string; station?: string; equipment?: string };

export function describePlace(
  plant: Plant | undefined,
  place: {
    area_id?: string | null;
    line_id?: string | null;
    station_id?: string | null;
    equipment_id?: string | null;
  },
): PlaceNames {
  const names: PlaceNames = {};
  const found = findLine(plant, place.line_id);
  const area = found?.area ?? findArea(plant, place.area_id);
  if (area) names.area = area.name;
  else if (place.area_id) names.area = place.area_id;
  if (place.line_id) names.line = found?.line.name ?? place.line_id;
  if (place.station_id) {
    names.station = found?.line.stations.find((s) => s.station_id === place.station_id)?.name ?? place.station_id;
  }
  if (place.equipment_id) names.equipment = place.equipment_id;
  return names;
}

/** Counts of the tree (the admin page's summary). */
export function plantCounts(plant: Plant | undefined): { sites: number; areas: number; lines: number; stations: number } {
  const sites = plant?.sites ?? [];
  const areas = sites.flatMap((site) => site.areas);
  const lines = areas.flatMap((area) => area.lines);
  return {
    sites: sites.length,
    areas: areas.length,
    lines: lines.length,
    stations: lines.reduce((sum, line) => sum + line.stations.length, 0),
  };
}
