import { useTranslation } from 'react-i18next';
import { ROOM_ROLES, type RoomRole } from '@/lib/roles';
import { FieldMessage } from '@/features/admin/components/field-message';
import { UserPicker } from '@/features/admin/components/user-picker';
import { fieldId, type FieldErrors } from '@/features/admin/utils/field-errors';
import type { StepValues } from '@/features/admin/utils/policy-form';

type Props = {
  /** The form's id prefix. */
  formId: string;
  index: number;
  step: StepValues;
  errors: FieldErrors;
  onChange: (step: StepValues) => void;
  onRemove: (() => void) | null;
  disabled: boolean;
};

/** One escalation step: after how many minutes, and whom to notify (users, roles, on duty). */
export function StepEditor({ formId, index, step, errors, onChange, onRemove, disabled }: Props) {
  const { t } = useTranslation();
  const path = (name: string) => `steps.${index}${name ? `.${name}` : ''}`;
  const idOf = (name: string) => fieldId(formId, path(name));
  const errorOf = (name: string) => errors[path(name)];
  const describe = (name: string, hint?: string) =>
    [hint, errorOf(name) ? `${idOf(name)}-error` : undefined].filter(Boolean).join(' ') || undefined;
  const set = <K extends keyof StepValues>(key: K, value: StepValues[K]) => onChange({ ...step, [key]: value });
  const toggleRole = (role: RoomRole, on: boolean) =>
    set('roles', on ? ROOM_ROLES.filter((r) => r === role || step.roles.includes(r)) : step.roles.filter((r) => r !== role));

  return (
    <fieldset
      className="step-editor"
      aria-describedby={[errorOf('') && `${idOf('')}-error`, errorOf('notify') && `${idOf('notify')}-error`].filter(Boolean).join(' ') || undefined}
      disabled={disabled}
    >
      <legend>{t('admin.policy.step', { number: index + 1 })}</legend>
      <FieldMessage id={`${idOf('')}-error`} message={errorOf('')} />
      <div className="field">
        <label htmlFor={idOf('after_minutes')}>{t('admin.policy.afterMinutes')}</label>
        <input
          id={idOf('after_minutes')}
          type="number"
          inputMode="numeric"
          min={0}
          step={1}
          value={step.after_minutes}
          onChange={(event) => set('after_minutes', event.target.value)}
          aria-invalid={Boolean(errorOf('after_minutes')) || undefined}
          aria-describedby={describe('after_minutes', `${idOf('after_minutes')}-hint`)}
        />
        <p id={`${idOf('after_minutes')}-hint`} className="field-hint">
          {t('admin.policy.afterMinutesHint')}
        </p>
        <FieldMessage id={`${idOf('after_minutes')}-error`} message={errorOf('after_minutes')} />
      </div>

      <p className="step-targets-heading">{t('admin.policy.notify')}</p>
      <FieldMessage id={`${idOf('notify')}-error`} message={errorOf('notify')} />

      <UserPicker
        id={idOf('notify.users')}
        label={t('admin.policy.users')}
        value={step.users}
        onChange={(users) => set('users', users)}
        errorId={errorOf('notify.users') ? `${idOf('notify.users')}-error` : undefined}
        invalid={Boolean(errorOf('notify.users'))}
      />
      <FieldMessage id={`${idOf('notify.users')}-error`} message={errorOf('notify.users')} />

      <fieldset className="role-choices" aria-describedby={describe('notify.roles')}>
        <legend>{t('admin.policy.roles')}</legend>
        {ROOM_ROLES.map((role) => (
          <label key={role} className="checkbox">
            <input
              type="checkbox"
              checked={step.roles.includes(role)}
              onChange={(event) => toggleRole(role, event.target.checked)}
            />
            {t(`members.roles.${role}`)}
          </label>
        ))}
        <FieldMessage id={`${idOf('notify.roles')}-error`} message={errorOf('notify.roles')} />
      </fieldset>

      <div className="field">
        <label htmlFor={idOf('notify.on_duty')}>{t('admin.policy.onDuty')}</label>
        <input
          id={idOf('notify.on_duty')}
          type="text"
          value={step.on_duty}
          onChange={(event) => set('on_duty', event.target.value)}
          placeholder="L3, SMT-1"
          autoComplete="off"
          autoCapitalize="characters"
          aria-invalid={Boolean(errorOf('notify.on_duty')) || undefined}
          aria-describedby={describe('notify.on_duty', `${idOf('notify.on_duty')}-hint`)}
        />
        <p id={`${idOf('notify.on_duty')}-hint`} className="field-hint">
          {t('admin.policy.onDutyHint')}
        </p>
        <FieldMessage id={`${idOf('notify.on_duty')}-error`} message={errorOf('notify.on_duty')} />
      </div>

      {onRemove ? (
        <button type="button" className="button button-secondary" onClick={onRemove}>
          {t('admin.policy.removeStep', { number: index + 1 })}
        </button>
      ) : null}
    </fieldset>
  );
}
