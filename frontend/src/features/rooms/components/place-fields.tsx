import { useTranslation } from 'react-i18next';
import { areaOptions, findLine, usePlant } from '@/lib/plant';
import { FieldError } from '@/features/rooms/components/room-fields';

export const PLACE_FIELDS = ['line_id', 'station_id', 'equipment_id'] as const;
export type PlaceField = (typeof PLACE_FIELDS)[number];
export type PlaceValues = Record<PlaceField, string>;
export type PlaceErrors = Partial<Record<PlaceField, string>>;

/** The API's limit on `equipment_id` (chalicelib/rooms/schemas.py). */
export const EQUIPMENT_MAX = 64;

type Props = {
  /** Prefix of the controls' ids (`${id}-line_id`, …), from the form's useId(). */
  id: string;
  values: PlaceValues;
  errors: PlaceErrors;
  onChange: (patch: Partial<PlaceValues>) => void;
  disabled: boolean;
};

/**
 * Line (grouped by area) → station (the chosen line's) and a free-text equipment id. All
 * optional, but a station needs its line: the station select stays disabled until a line is
 * chosen and is cleared when the line changes.
 */
export function PlaceFields({ id, values, errors, onChange, disabled }: Props) {
  const { t } = useTranslation();
  const plant = usePlant();
  const areas = areaOptions(plant.data);
  const line = findLine(plant.data, values.line_id)?.line;
  const stations = line?.stations ?? [];
  const noStations = Boolean(values.line_id) && stations.length === 0;

  const errorId = (field: PlaceField) => `${id}-${field}-error`;
  const a11y = (field: PlaceField, hint?: string) => ({
    'aria-invalid': errors[field] ? true : undefined,
    'aria-describedby': [errors[field] ? errorId(field) : null, hint].filter(Boolean).join(' ') || undefined,
  });
  const stationHint = `${id}-station-hint`;
  const lineHint = plant.isError ? `${id}-plant-error` : undefined;

  return (
    <fieldset className="field-group place-fields">
      <legend>{t('createRoom.place.legend')}</legend>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-line_id`}>{t('place.line')}</label>
          <select
            id={`${id}-line_id`}
            value={values.line_id}
            // a station belongs to one line: a new line clears it
            onChange={(event) => onChange({ line_id: event.target.value, station_id: '' })}
            disabled={disabled}
            {...a11y('line_id', lineHint)}
          >
            <option value="">{t('createRoom.place.noLine')}</option>
            {areas.map((area) => (
              <optgroup key={area.area_id} label={area.label}>
                {area.lines.map((option) => (
                  <option key={option.line_id} value={option.line_id}>
                    {option.name}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
          <FieldError id={errorId('line_id')} message={errors.line_id} />
          {plant.isError ? (
            <p id={`${id}-plant-error`} className="field-hint">
              {t('place.plantError')}
            </p>
          ) : null}
        </div>

        <div className="field">
          <label htmlFor={`${id}-station_id`}>{t('place.station')}</label>
          <select
            id={`${id}-station_id`}
            value={values.station_id}
            onChange={(event) => onChange({ station_id: event.target.value })}
            disabled={disabled || !line || noStations}
            {...a11y('station_id', stationHint)}
          >
            <option value="">{t('createRoom.place.noStation')}</option>
            {stations.map((station) => (
              <option key={station.station_id} value={station.station_id}>
                {station.name}
              </option>
            ))}
          </select>
          <FieldError id={errorId('station_id')} message={errors.station_id} />
          <p id={stationHint} className="field-hint">
            {!values.line_id
              ? t('createRoom.place.stationNeedsLine')
              : noStations
                ? t('createRoom.place.lineWithoutStations')
                : t('createRoom.place.stationHint')}
          </p>
        </div>
      </div>

      <div className="field">
        <label htmlFor={`${id}-equipment_id`}>{t('place.equipment')}</label>
        <input
          id={`${id}-equipment_id`}
          type="text"
          value={values.equipment_id}
          onChange={(event) => onChange({ equipment_id: event.target.value })}
          maxLength={EQUIPMENT_MAX + 20}
          placeholder={t('createRoom.place.equipmentPlaceholder')}
          autoComplete="off"
          disabled={disabled}
          {...a11y('equipment_id')}
        />
        <FieldError id={errorId('equipment_id')} message={errors.equipment_id} />
      </div>
    </fieldset>
  );
}
