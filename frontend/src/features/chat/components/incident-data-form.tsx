import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FIELD_NAME_PATTERN, KNOWN_FIELDS } from '@/features/chat/utils/incident-fields';

type Row = { id: number; field: string; value: string };

let rowIds = 0;
const newRow = (field = ''): Row => ({ id: ++rowIds, field, value: '' });

/** A small field/value form that sends an `incident_data` message (numbers, plus the time of measurement). */
export function IncidentDataForm({
  onSubmit,
  onCancel,
}: {
  onSubmit: (content: Record<string, unknown>) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [rows, setRows] = useState<Row[]>(() => [newRow('temperature')]);
  const [error, setError] = useState<string | null>(null);

  function update(rowId: number, change: Partial<Row>) {
    setRows((current) => current.map((row) => (row.id === rowId ? { ...row, ...change } : row)));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const filled = rows.filter((row) => row.field.trim() || row.value.trim());
    if (!filled.length) return setError(t('chat.incident.needOne'));
    const content: Record<string, unknown> = {};
    for (const row of filled) {
      const field = row.field.trim();
      if (!FIELD_NAME_PATTERN.test(field) || field === 'timestamp') return setError(t('chat.incident.invalidField'));
      const value = Number(row.value.replace(',', '.'));
      if (!row.value.trim() || !Number.isFinite(value)) return setError(t('chat.incident.invalidValue'));
      content[field] = value;
    }
    content.timestamp = new Date().toISOString();
    setError(null);
    onSubmit(content);
    setRows([newRow('temperature')]);
  }

  return (
    <form className="incident-form" aria-labelledby={`${id}-heading`} onSubmit={submit} noValidate>
      <h3 id={`${id}-heading`}>{t('chat.incident.heading')}</h3>
      <datalist id={`${id}-fields`}>
        {Object.keys(KNOWN_FIELDS).map((field) => (
          <option key={field} value={field}>
            {t(`chat.incident.fields.${field}` as 'chat.incident.fields.temperature')}
          </option>
        ))}
      </datalist>
      {rows.map((row, index) => (
        <div className="incident-form-row" key={row.id}>
          <div className="field">
            <label htmlFor={`${id}-field-${row.id}`}>
              {t('chat.incident.field')} {index + 1}
            </label>
            <input
              id={`${id}-field-${row.id}`}
              list={`${id}-fields`}
              value={row.field}
              autoComplete="off"
              autoCapitalize="off"
              spellCheck={false}
              onChange={(event) => update(row.id, { field: event.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-value-${row.id}`}>
              {t('chat.incident.value')} {index + 1}
            </label>
            <input
              id={`${id}-value-${row.id}`}
              inputMode="decimal"
              value={row.value}
              onChange={(event) => update(row.id, { value: event.target.value })}
            />
          </div>
          {rows.length > 1 ? (
            <button
              type="button"
              className="button button-secondary"
              aria-label={`${t('chat.incident.removeRow')} ${index + 1}`}
              onClick={() => setRows((current) => current.filter((r) => r.id !== row.id))}
            >
              ✕
            </button>
          ) : null}
        </div>
      ))}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="button" className="button button-secondary" onClick={() => setRows((r) => [...r, newRow()])}>
          {t('chat.incident.addRow')}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {t('chat.incident.cancel')}
        </button>
        <button type="submit" className="button button-primary">
          {t('chat.incident.send')}
        </button>
      </div>
    </form>
  );
}
