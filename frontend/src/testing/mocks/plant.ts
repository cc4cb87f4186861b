import { http, HttpResponse } from 'msw';
import type { PlantSite } from '@/lib/plant';
import { apiError, caller, requireAuth, validationError, type Detail } from '@/testing/mocks/handlers';
import { activePlant, plantDb, replacePlant } from '@/testing/mocks/plant-db';

/**
 * The plant routes of the backend (chalicelib/plant): GET (any user), PUT and the CSV import
 * (administrators), with the API's error shape — a refused CSV is a 400 `validation_error`
 * whose details name the rows: `[{"field": "row 3", "message": "expected 4 columns, got 3"}]`.
 */

const NODE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const CSV_HEADER = ['site', 'area', 'line', 'station'];
const MAX_CSV_BYTES = 512 * 1024;
const LEVEL_KEYS = [
  ['sites', 'site_id'],
  ['areas', 'area_id'],
  ['lines', 'line_id'],
  ['stations', 'station_id'],
] as const;

function requireAdmin(request: Request): Response | null {
  const denied = requireAuth(request);
  if (denied) return denied;
  if (!caller(request).is_admin) return apiError(403, 'forbidden', 'Only administrators change the plant');
  return null;
}

/** Rows of a CSV like Python's csv.reader: quoted fields, "" escapes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let started = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      started = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      started = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      rows.push(started || field ? [...row, field] : []);
      row = [];
      field = '';
      started = false;
    } else {
      field += ch;
      started = true;
    }
  }
  if (started || field) rows.push([...row, field]);
  return rows;
}

/** A short stable digest (the backend uses sha1; any stable one will do here). */
function digest(text: string): string {
  let hash = 0x811c9dc5;
  for (const ch of text) hash = Math.imul(hash ^ ch.codePointAt(0)!, 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0').slice(0, 6);
}

function nodeId(prefix: string, name: string, existing: Map<string, string>): string {
  const known = existing.get(name);
  if (known) return known;
  const ascii = name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return ascii ? `${prefix}-${ascii}-${digest(name)}` : `${prefix}-${digest(name)}`;
}

/** Ids of the active tree by name (under the same parent), so a re-import keeps them. */
function existingIds() {
  const ids = {
    site: new Map<string, string>(),
    area: new Map<string, Map<string, string>>(),
    line: new Map<string, string>(),
    station: new Map<string, Map<string, string>>(),
  };
  for (const site of activePlant().sites) {
    ids.site.set(site.name, site.site_id);
    for (const area of site.areas) {
      if (!ids.area.has(site.name)) ids.area.set(site.name, new Map());
      ids.area.get(site.name)!.set(area.name, area.area_id);
      for (const line of area.lines) {
        ids.line.set(line.name, line.line_id);
        if (!ids.station.has(line.name)) ids.station.set(line.name, new Map());
        for (const station of line.stations) ids.station.get(line.name)!.set(station.name, station.station_id);
      }
    }
  }
  return ids;
}

type Building = {
  site_id: string;
  name: string;
  areas: Map<
    string,
    {
      area_id: string;
      name: string;
      lines: Map<string, { line_id: string; name: string; stations: Map<string, { station_id: string; name: string }> }>;
    }
  >;
};

/** `import_csv` of chalicelib/plant/service.py over decoded text: the tree, or the 400's details. */
export function plantFromCsv(text: string): { sites: PlantSite[] } | { details: Detail[]; message: string } {
  const rows = parseCsv(text);
  const header = rows[0]?.map((cell) => cell.trim().toLowerCase());
  if (!header || header.join(',') !== CSV_HEADER.join(',')) {
    return {
      message: 'The first row must be the header site,area,line,station',
      details: [{ field: 'row 1', message: 'expected site,area,line,station' }],
    };
  }
  const problems: Detail[] = [];
  const ids = existingIds();
  const sites = new Map<string, Building>();
  rows.slice(1).forEach((row, index) => {
    const number = index + 2;
    if (!row.some((cell) => cell.trim())) return;
    if (row.length !== 4) {
      problems.push({ field: `row ${number}`, message: `expected 4 columns, got ${row.length}` });
      return;
    }
    const [site, area, line, station] = row.map((cell) => cell.trim()) as [string, string, string, string];
    if (!site || !area || !line) {
      problems.push({ field: `row ${number}`, message: 'site, area and line are required' });
      return;
    }
    if (Math.max(site.length, area.length, line.length, station.length) > 100) {
      problems.push({ field: `row ${number}`, message: 'names are at most 100 characters' });
      return;
    }
    if (!sites.has(site)) sites.set(site, { site_id: nodeId('S', site, ids.site), name: site, areas: new Map() });
    const s = sites.get(site)!;
    if (!s.areas.has(area)) {
      s.areas.set(area, { area_id: nodeId('A', area, ids.area.get(site) ?? new Map()), name: area, lines: new Map() });
    }
    const a = s.areas.get(area)!;
    if (!a.lines.has(line)) a.lines.set(line, { line_id: nodeId('L', line, ids.line), name: line, stations: new Map() });
    const l = a.lines.get(line)!;
    if (station && !l.stations.has(station)) {
      l.stations.set(station, { station_id: nodeId('ST', station, ids.station.get(line) ?? new Map()), name: station });
    }
  });
  if (problems.length) return { message: `${problems.length} bad row(s) in the CSV`, details: problems.slice(0, 50) };
  if (sites.size === 0) {
    return { message: 'The CSV does not make a valid plant', details: [{ field: 'sites', message: 'List should have at least 1 item after validation, not 0' }] };
  }
  return {
    sites: [...sites.values()].map((s) => ({
      site_id: s.site_id,
      name: s.name,
      areas: [...s.areas.values()].map((a) => ({
        area_id: a.area_id,
        name: a.name,
        lines: [...a.lines.values()].map((l) => ({ line_id: l.line_id, name: l.name, stations: [...l.stations.values()] })),
      })),
    })),
  };
}

/** A few of PlantTree's checks (ids, names, at least one site), with pydantic-style paths. */
function checkTree(body: unknown): Detail[] {
  if (!body || typeof body !== 'object' || !Array.isArray((body as { sites?: unknown }).sites)) {
    return [{ field: 'sites', message: 'Field required' }];
  }
  const sites = (body as { sites: unknown[] }).sites;
  if (sites.length === 0) return [{ field: 'sites', message: 'List should have at least 1 item after validation, not 0' }];
  const details: Detail[] = [];
  const walk = (nodes: unknown, path: string, depth: number) => {
    if (!Array.isArray(nodes)) return;
    const key = LEVEL_KEYS[depth]![1];
    nodes.forEach((node, i) => {
      const at = `${path}.${i}`;
      const record = (node ?? {}) as Record<string, unknown>;
      if (typeof record[key] !== 'string' || !NODE_ID.test(record[key])) {
        details.push({ field: `${at}.${key}`, message: `String should match pattern '${NODE_ID.source}'` });
      }
      if (typeof record.name !== 'string' || !record.name.trim() || record.name.length > 100) {
        details.push({ field: `${at}.name`, message: 'String should have at least 1 character' });
      }
      const next = LEVEL_KEYS[depth + 1];
      if (next) walk(record[next[0]] ?? [], `${at}.${next[0]}`, depth + 1);
    });
  };
  walk(sites, 'sites', 0);
  return details;
}

export const plantHandlers = [
  http.get('*/api/plant', ({ request }) => requireAuth(request) ?? HttpResponse.json(activePlant())),

  http.put('*/api/plant', async ({ request }) => {
    const denied = requireAdmin(request);
    if (denied) return denied;
    const body: unknown = await request.json().catch(() => null);
    plantDb.requests.push({ method: 'PUT', path: '/api/plant', contentType: request.headers.get('Content-Type'), body });
    const details = checkTree(body);
    if (details.length) return validationError(details);
    return HttpResponse.json(replacePlant((body as { sites: PlantSite[] }).sites));
  }),

  http.post('*/api/plant/import', async ({ request }) => {
    const denied = requireAdmin(request);
    if (denied) return denied;
    const raw = new Uint8Array(await request.arrayBuffer());
    let text: string;
    try {
      // like bytes.decode("utf-8-sig"): a BOM is dropped, anything not UTF-8 is refused
      text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      text = '\u0000not-utf-8';
    }
    plantDb.requests.push({ method: 'POST', path: '/api/plant/import', contentType: request.headers.get('Content-Type'), body: text });
    if (raw.length > MAX_CSV_BYTES) {
      return validationError([{ field: 'body', message: 'at most 512 KB' }], 'The CSV is too large');
    }
    if (text === '\u0000not-utf-8') return validationError([{ field: 'body', message: 'not UTF-8' }], 'The CSV must be UTF-8');
    const result = plantFromCsv(text);
    if ('details' in result) return validationError(result.details, result.message);
    return HttpResponse.json(replacePlant(result.sites));
  }),
];
