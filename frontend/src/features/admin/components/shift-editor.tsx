import { useTranslation } from 'react-i18next';
import { FieldMessage } from '@/features/admin/components/field-message';
import { UserPicker } from '@/features/admin/components/user-picker';
import { ROSTER_LIMITS, type Shift } from '@/features/admin/types';
import { fieldId, type FieldErrors } from '@/features/admin/utils/field-errors';
import { crossesMidnight } from '@/features/admin/utils/roster-form';

type Props = {
  formId: string;
  index: number;
  shift: Shift;
  errors: FieldErrors;
  onChange: (shift: Shift) => void;
  onRemove: () => void;
  disabled: boolean;
};

/** One shift of a line: name, start and end (HH:MM, may cross midnight), who is on duty. */
export function ShiftEditor({ formId, index, shift, errors, onChange, onRemove, disabled }: Props) {
  const { t } = useTranslation();
  const path = (name: string) => `shifts.${index}${name ? `.${name}` : ''}`;
  const idOf = (name: string) => fieldId(formId, path(name));
  const errorOf = (name: string) => errors[path(name)];
  const errorRef = (name: string) => (errorOf(name) ? `${idOf(name)}-error` : undefined);
  const set = <K extends keyof Shift>(key: K, value: Shift[K]) => onChange({ ...shift, [key]: value });
  const overnight = crossesMidnight(shift);

  return (
    <fieldset className="shift-editor" disabled={disabled} aria-describedby={errorRef('')}>
      <legend>{shift.name.trim() || t('admin.roster.shift', { number: index + 1 })}</legend>
      <FieldMessage id={`${idOf('')}-error`} message={errorOf('')} />
      <div className="field">
        <label htmlFor={idOf('name')}>{t('admin.roster.name')}</label>
        <input
          id={idOf('name')}
          value={shift.name}
          maxLength={ROSTER_LIMITS.name + 10}
          onChange={(event) => set('name', event.target.value)}
          placeholder={t('admin.roster.namePlaceholder')}
          aria-invalid={Boolean(errorOf('name')) || undefined}
          aria-describedby={errorRef('name')}
        />
        <FieldMessage id={`${idOf('name')}-error`} message={errorOf('name')} />
      </div>
      <div className="field-row">
        {(['start', 'end'] as const).map((key) => (
          <div className="field" key={key}>
            <label htmlFor={idOf(key)}>{t(`admin.roster.${key}`)}</label>
            <input
              id={idOf(key)}
              type="time"
              step={60}
              value={shift[key]}
              onChange={(event) => set(key, event.target.value)}
              aria-invalid={Boolean(errorOf(key)) || undefined}
              aria-describedby={[errorRef(key), key === 'end' && overnight ? `${idOf('end')}-overnight` : undefined]
                .filter(Boolean)
                .join(' ') || undefined}
            />
            <FieldMessage id={`${idOf(key)}-error`} message={errorOf(key)} />
          </div>
        ))}
      </div>
      {overnight ? (
        <p id={`${idOf('end')}-overnight`} className="field-hint">
          {t('admin.roster.overnight')}
        </p>
      ) : null}
      <UserPicker
        id={idOf('users')}
        label={t('admin.roster.users')}
        value={shift.users}
        onChange={(users) => set('users', users)}
        errorId={errorRef('users')}
        invalid={Boolean(errorOf('users'))}
      />
      <FieldMessage id={`${idOf('users')}-error`} message={errorOf('users')} />
      <button type="button" className="button button-secondary" onClick={onRemove}>
        {t('admin.roster.removeShift', { name: shift.name.trim() || t('admin.roster.shift', { number: index + 1 }) })}
      </button>
    </fieldset>
  );
}
