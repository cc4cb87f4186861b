import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PlaceFilterSelects, type PlacePatch } from '@/features/rooms/components/place-filter';
import {
  INCIDENT_TYPES,
  ROOM_STATUSES,
  SEVERITIES,
  type RoomFilters as Filters,
} from '@/features/rooms/types';

type Props = {
  filters: Filters;
  onChange: (key: keyof Filters, value: string | undefined) => void;
  /** Area and line together (an area change may clear the line). */
  onPlaceChange: (patch: PlacePatch) => void;
  onClear: () => void;
  hasFilters: boolean;
};

export function RoomFilters({ filters, onChange, onPlaceChange, onClear, hasFilters }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const selects = [
    { key: 'status', label: t('rooms.filters.status'), values: ROOM_STATUSES, prefix: 'rooms.status' },
    { key: 'incident_type', label: t('rooms.filters.type'), values: INCIDENT_TYPES, prefix: 'rooms.type' },
    { key: 'severity', label: t('rooms.filters.severity'), values: SEVERITIES, prefix: 'rooms.severity' },
  ] as const;

  return (
    <section className="room-filters" aria-label={t('rooms.filters.legend')}>
      {/* keyed by the URL's q so the box follows Back / clear */}
      <SearchForm key={filters.q ?? ''} initial={filters.q ?? ''} onSearch={(q) => onChange('q', q)} />
      <div className="filter-selects">
        {selects.map((select) => (
          <div className="field field-inline" key={select.key}>
            <label htmlFor={`${id}-${select.key}`}>{select.label}</label>
            <select
              id={`${id}-${select.key}`}
              value={filters[select.key] ?? ''}
              onChange={(event) => onChange(select.key, event.target.value || undefined)}
            >
              <option value="">{t('rooms.filters.all')}</option>
              {select.values.map((value) => (
                <option key={value} value={value}>
                  {t(`${select.prefix}.${value}`)}
                </option>
              ))}
            </select>
          </div>
        ))}
        <PlaceFilterSelects value={{ area_id: filters.area_id, line_id: filters.line_id }} onChange={onPlaceChange} />
        {hasFilters ? (
          <button type="button" className="button button-secondary" onClick={onClear}>
            {t('rooms.filters.clear')}
          </button>
        ) : null}
      </div>
    </section>
  );
}

function SearchForm({ initial, onSearch }: { initial: string; onSearch: (q: string) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [text, setText] = useState(initial);

  function submitSearch(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onSearch(text);
  }

  return (
    <form role="search" className="search-form" onSubmit={submitSearch}>
      <label htmlFor={id} className="visually-hidden">
        {t('rooms.filters.searchLabel')}
      </label>
      <input
        id={id}
        type="search"
        value={text}
        placeholder={t('rooms.filters.searchPlaceholder')}
        onChange={(event) => setText(event.target.value)}
        enterKeyHint="search"
      />
      <button type="submit" className="button button-primary">
        {t('rooms.filters.search')}
      </button>
    </form>
  );
}
