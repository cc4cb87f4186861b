import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useEventCodes, useRetireEventCode, useSaveEventCode, type EventCode } from '@/features/admin/api/event-codes';
import { formatRootCauses, parseRootCauses } from '@/features/admin/utils/root-causes';
import { isApiError } from '@/lib/api-client';

const TYPES = ['equipment_failure', 'quality_issue', 'material_shortage', 'safety', 'other'];
const SEVERITIES = ['low', 'medium', 'high', 'critical'];
const EMPTY = { code: '', name: '', incident_type: 'equipment_failure', default_severity: 'medium', causes: '' };

/** /admin/event-codes: the event catalog — codes, their defaults and root causes; retire, never delete. */
export function EventCodesPage() {
  const { t } = useTranslation();
  const codes = useEventCodes();
  const save = useSaveEventCode();
  const retire = useRetireEventCode();
  const [form, setForm] = useState(EMPTY);
  const [editing, setEditing] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const edit = (entry: EventCode) => {
    setEditing(entry.code);
    setForm({
      code: entry.code, name: entry.name, incident_type: entry.incident_type,
      default_severity: entry.default_severity, causes: formatRootCauses(entry.root_causes),
    });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    const input = {
      code: form.code.trim(), name: form.name.trim(), incident_type: form.incident_type,
      default_severity: form.default_severity, root_causes: parseRootCauses(form.causes),
    };
    save.mutate(
      { input, exists: editing !== null },
      {
        onSuccess: () => {
          setMessage(t('admin.eventCodes.saved', { code: input.code }));
          setEditing(null);
          setForm(EMPTY);
        },
        onError: (error) => setMessage(t('admin.eventCodes.failed', { reason: isApiError(error) ? error.message : String(error) })),
      },
    );
  };

  return (
    <section aria-labelledby="event-codes-heading">
      <h2 id="event-codes-heading">{t('admin.eventCodes.heading')}</h2>
      {message ? <p role="status">{message}</p> : null}
      <table className="report-table">
        <caption>{t('admin.eventCodes.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('admin.eventCodes.code')}</th>
            <th scope="col">{t('admin.eventCodes.name')}</th>
            <th scope="col">{t('admin.eventCodes.rootCauses')}</th>
            <th scope="col">{t('admin.eventCodes.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {(codes.data?.event_codes ?? []).map((entry) => (
            <tr key={entry.code}>
              <th scope="row">{entry.code}</th>
              <td>
                {entry.name}
                {entry.retired ? ` (${t('admin.eventCodes.retired')})` : ''}
              </td>
              <td>{entry.root_causes.filter((c) => !c.retired).map((c) => c.name).join('、')}</td>
              <td>
                <button type="button" className="button button-secondary" onClick={() => edit(entry)}>
                  {t('admin.editNamed', { name: entry.code })}
                </button>
                {entry.retired ? null : (
                  <button type="button" className="button button-secondary" onClick={() => retire.mutate(entry.code)}>
                    {t('admin.eventCodes.retireNamed', { code: entry.code })}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form onSubmit={submit} aria-label={t('admin.eventCodes.form')}>
        <label>
          {t('admin.eventCodes.code')}
          <input value={form.code} disabled={editing !== null} onChange={(e) => setForm({ ...form, code: e.target.value })} required />
        </label>
        <label>
          {t('admin.eventCodes.name')}
          <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required />
        </label>
        <label>
          {t('admin.eventCodes.type')}
          <select value={form.incident_type} onChange={(e) => setForm({ ...form, incident_type: e.target.value })}>
            {TYPES.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('admin.eventCodes.severity')}
          <select value={form.default_severity} onChange={(e) => setForm({ ...form, default_severity: e.target.value })}>
            {SEVERITIES.map((severity) => (
              <option key={severity} value={severity}>
                {severity}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('admin.eventCodes.rootCausesInput')}
          <textarea value={form.causes} rows={4} onChange={(e) => setForm({ ...form, causes: e.target.value })} />
        </label>
        <button type="submit" className="button" disabled={save.isPending}>
          {editing ? t('admin.save') : t('admin.eventCodes.add')}
        </button>
      </form>
    </section>
  );
}
