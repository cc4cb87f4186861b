import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { useRoster } from '@/features/admin/api/get-roster';
import { FieldMessage } from '@/features/admin/components/field-message';
import { RosterForm } from '@/features/admin/components/roster-form';
import { LINE_ID_PATTERN } from '@/features/admin/types';

/** /admin/rosters?line=L3: pick a line id, then edit its shifts (administrators). */
export function RostersPage() {
  const { t } = useTranslation();
  const id = useId();
  const [params, setParams] = useSearchParams();
  const line = params.get('line') ?? '';
  const [text, setText] = useState(line);
  const [error, setError] = useState('');
  const valid = LINE_ID_PATTERN.test(line);
  const roster = useRoster(valid ? line : '');

  function open(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = text.trim();
    if (!LINE_ID_PATTERN.test(value)) {
      setError(t('admin.errors.lineId', { line: value || '…' }));
      return;
    }
    setError('');
    setParams({ line: value }, { replace: false });
  }

  return (
    <section className="admin-section" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('admin.roster.heading')}</h2>
      <p className="field-hint">{t('admin.roster.intro')}</p>
      <form className="roster-line" onSubmit={open} noValidate>
        <div className="field">
          <label htmlFor={`${id}-line`}>{t('admin.roster.line')}</label>
          <input
            id={`${id}-line`}
            value={text}
            onChange={(event) => setText(event.target.value)}
            placeholder="L3"
            autoComplete="off"
            aria-invalid={Boolean(error) || undefined}
            aria-describedby={error ? `${id}-line-error` : undefined}
          />
          <FieldMessage id={`${id}-line-error`} message={error} />
        </div>
        <button type="submit" className="button button-primary">
          {t('admin.roster.open')}
        </button>
      </form>
      {!valid ? null : roster.isPending ? (
        <Loading />
      ) : roster.isError ? (
        <ErrorAlert error={roster.error} onRetry={() => void roster.refetch()} />
      ) : (
        <RosterForm key={roster.data.line_id} roster={roster.data} />
      )}
    </section>
  );
}
