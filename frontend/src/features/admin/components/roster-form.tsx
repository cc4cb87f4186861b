import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '@/lib/errors';
import { usePutRoster } from '@/features/admin/api/put-roster';
import { FieldMessage } from '@/features/admin/components/field-message';
import { ShiftEditor } from '@/features/admin/components/shift-editor';
import { ROSTER_LIMITS, type Roster, type Shift } from '@/features/admin/types';
import { fieldId, focusFirstError, serverFieldErrors, type FieldErrors } from '@/features/admin/utils/field-errors';
import { EMPTY_SHIFT, rosterErrorPaths, rosterInput, validateRoster } from '@/features/admin/utils/roster-form';

/** A line's shifts, saved as a whole (PUT); errors next to their fields. */
export function RosterForm({ roster }: { roster: Roster }) {
  const { t } = useTranslation();
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [shifts, setShifts] = useState<Shift[]>(() => roster.shifts.map((shift) => ({ ...shift, users: [...shift.users] })));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState(false);
  const put = usePutRoster(roster.line_id);
  const focusFirst = useRef(false);

  useEffect(() => {
    if (!focusFirst.current || put.isPending) return;
    focusFirst.current = false;
    focusFirstError(formRef.current);
  });

  function change(next: Shift[]) {
    setShifts(next);
    setSaved(false);
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = validateRoster(shifts, t);
    setErrors(found);
    setSaved(false);
    if (Object.keys(found).length) {
      focusFirst.current = true;
      return;
    }
    put.mutate(rosterInput(shifts), {
      onSuccess: () => setSaved(true),
      onError: (error) => {
        const mapped = serverFieldErrors(error, rosterErrorPaths(shifts.length), t);
        setErrors(mapped);
        focusFirst.current = Object.keys(mapped).length > 0;
      },
    });
  }

  const fieldErrorCount = Object.keys(errors).filter((key) => key !== 'form').length;

  return (
    <form ref={formRef} className="settings-card roster-form" onSubmit={submit} noValidate aria-busy={put.isPending}>
      <h3>{t('admin.roster.lineHeading', { line: roster.line_id })}</h3>
      <p className="field-hint">{t('admin.roster.timezone', { zone: roster.timezone })}</p>
      {fieldErrorCount > 0 || errors.form || (put.isError && fieldErrorCount === 0) ? (
        <div className="alert alert-error" role="alert">
          <p>{fieldErrorCount > 0 ? t('form.fixFields') : (errors.form ?? errorMessage(put.error, t))}</p>
          {fieldErrorCount > 0 && errors.form ? <p>{errors.form}</p> : null}
        </div>
      ) : null}
      <FieldMessage id={`${fieldId(id, 'shifts')}-error`} message={errors.shifts} />
      {shifts.length === 0 ? <p className="empty-state">{t('admin.roster.noShifts')}</p> : null}
      <ol className="shift-list">
        {shifts.map((shift, index) => (
          <li key={index}>
            <ShiftEditor
              formId={id}
              index={index}
              shift={shift}
              errors={errors}
              disabled={put.isPending}
              onChange={(next) => change(shifts.map((s, i) => (i === index ? next : s)))}
              onRemove={() => {
                change(shifts.filter((_, i) => i !== index));
                setErrors({});
              }}
            />
          </li>
        ))}
      </ol>
      {shifts.length < ROSTER_LIMITS.shifts ? (
        <button
          type="button"
          className="button button-secondary"
          onClick={() => change([...shifts, { ...EMPTY_SHIFT, users: [] }])}
          disabled={put.isPending}
        >
          <span aria-hidden="true">＋</span>
          {t('admin.roster.addShift')}
        </button>
      ) : null}
      <div className="form-actions">
        <p className="form-status" role="status">
          {saved ? t('admin.saved') : ''}
        </p>
        <button type="submit" className="button button-primary" disabled={put.isPending}>
          {put.isPending ? t('common.saving') : t('admin.roster.save')}
        </button>
      </div>
    </form>
  );
}
