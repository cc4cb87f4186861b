import { describe, expect, it } from 'vitest';
import { areaOptions, describePlace, findLine, plantCounts, type Plant } from '@/lib/plant';

const plant: Plant = {
  sites: [
    {
      site_id: 'S1',
      name: 'A 廠',
      areas: [
        {
          area_id: 'A1',
          name: '前段',
          lines: [{ line_id: 'L1', name: '黏晶 L1', stations: [{ station_id: 'ST1', name: '黏晶機 1' }] }],
        },
      ],
    },
    { site_id: 'S2', name: 'B 廠', areas: [{ area_id: 'A2', name: '後段', lines: [{ line_id: 'L9', name: '測試 L9', stations: [] }] }] },
  ],
};

describe('plant helpers', () => {
  it('labels areas with their site only when there are several sites', () => {
    expect(areaOptions(plant).map((a) => a.label)).toEqual(['A 廠 / 前段', 'B 廠 / 後段']);
    expect(areaOptions({ sites: [plant.sites[0]!] }).map((a) => a.label)).toEqual(['前段']);
    expect(areaOptions(undefined)).toEqual([]);
  });

  it('finds a line with its area and site', () => {
    expect(findLine(plant, 'L9')).toMatchObject({ line: { name: '測試 L9' }, area: { area_id: 'A2' }, site: { site_id: 'S2' } });
    expect(findLine(plant, 'nope')).toBeUndefined();
    expect(findLine(plant, null)).toBeUndefined();
  });

  it('describes a place by name, falling back to ids the plant no longer lists', () => {
    expect(describePlace(plant, { area_id: 'A1', line_id: 'L1', station_id: 'ST1', equipment_id: 'DB-07' })).toEqual({
      area: '前段',
      line: '黏晶 L1',
      station: '黏晶機 1',
      equipment: 'DB-07',
    });
    expect(describePlace(plant, { area_id: 'A1', line_id: 'L-OLD', station_id: 'X' })).toEqual({
      area: '前段',
      line: 'L-OLD',
      station: 'X',
    });
    expect(describePlace(undefined, { line_id: 'L1' })).toEqual({ line: 'L1' });
    expect(describePlace(plant, {})).toEqual({});
  });

  it('counts the nodes', () => {
    expect(plantCounts(plant)).toEqual({ sites: 2, areas: 2, lines: 2, stations: 1 });
  });
});
