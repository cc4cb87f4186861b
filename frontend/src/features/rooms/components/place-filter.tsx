import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { areaOptions, findArea, findLine, usePlant } from '@/lib/plant';
import type { PlaceFilter } from '@/features/rooms/types';

export type PlacePatch = { area_id: string | undefined; line_id: string | undefined };

type Props = {
  value: PlaceFilter;
  /** Both keys are always present: an area change clears a line of another area. */
  onChange: (patch: PlacePatch) => void;
  /** Class of each label + select wrapper (the room list and the board style them differently). */
  fieldClassName?: string;
};

/**
 * Area and line selects fed by the plant (`GET /api/plant`); the lines are grouped by area and
 * narrowed to the chosen area. An id the plant no longer lists (a retired line in an old URL)
 * stays selectable so the filter in effect is always visible.
 */
export function PlaceFilterSelects({ value, onChange, fieldClassName = 'field field-inline' }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const plant = usePlant();
  const areas = areaOptions(plant.data);
  const shownAreas = value.area_id ? areas.filter((area) => area.area_id === value.area_id) : areas;
  const unknownArea = value.area_id && plant.data && !findArea(plant.data, value.area_id) ? value.area_id : null;
  const unknownLine = value.line_id && plant.data && !findLine(plant.data, value.line_id) ? value.line_id : null;

  function changeArea(areaId: string) {
    const line = findLine(plant.data, value.line_id);
    const keepLine = !areaId || (line && line.area.area_id === areaId);
    onChange({ area_id: areaId || undefined, line_id: keepLine ? value.line_id : undefined });
  }

  return (
    <>
      <div className={fieldClassName}>
        <label htmlFor={`${id}-area`}>{t('place.area')}</label>
        <select
          id={`${id}-area`}
          value={value.area_id ?? ''}
          onChange={(event) => changeArea(event.target.value)}
          aria-describedby={plant.isError ? `${id}-error` : undefined}
        >
          <option value="">{t('rooms.filters.all')}</option>
          {areas.map((area) => (
            <option key={area.area_id} value={area.area_id}>
              {area.label}
            </option>
          ))}
          {unknownArea ? <option value={unknownArea}>{unknownArea}</option> : null}
        </select>
      </div>
      <div className={fieldClassName}>
        <label htmlFor={`${id}-line`}>{t('place.line')}</label>
        <select
          id={`${id}-line`}
          value={value.line_id ?? ''}
          onChange={(event) => onChange({ area_id: value.area_id, line_id: event.target.value || undefined })}
          aria-describedby={plant.isError ? `${id}-error` : undefined}
        >
          <option value="">{t('rooms.filters.all')}</option>
          {shownAreas.map((area) => (
            <optgroup key={area.area_id} label={area.label}>
              {area.lines.map((line) => (
                <option key={line.line_id} value={line.line_id}>
                  {line.name}
                </option>
              ))}
            </optgroup>
          ))}
          {unknownLine ? <option value={unknownLine}>{unknownLine}</option> : null}
        </select>
      </div>
      {plant.isError ? (
        <p id={`${id}-error`} className="field-hint">
          {t('place.plantError')}
        </p>
      ) : null}
    </>
  );
}
