import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '@/lib/errors';
import { useCreateEscalationPolicy } from '@/features/admin/api/create-escalation-policy';
import { useUpdateEscalationPolicy } from '@/features/admin/api/update-escalation-policy';
import { FieldMessage } from '@/features/admin/components/field-message';
import { StepEditor } from '@/features/admin/components/step-editor';
import { POLICY_LIMITS, type EscalationPolicy } from '@/features/admin/types';
import { fieldId, focusFirstError, serverFieldErrors, type FieldErrors } from '@/features/admin/utils/field-errors';
import {
  EMPTY_POLICY,
  EMPTY_STEP,
  policyErrorPaths,
  policyInput,
  policyValues,
  validatePolicy,
  type PolicyValues,
  type StepValues,
} from '@/features/admin/utils/policy-form';

type Props = {
  /** The policy to edit; a new one without. */
  policy?: EscalationPolicy | undefined;
  onDone: () => void;
  onCancel: () => void;
};

/** Create or edit an escalation policy: name, repeat and 1–10 steps; errors next to their fields. */
export function PolicyForm({ policy, onDone, onCancel }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const [values, setValues] = useState<PolicyValues>(() => (policy ? policyValues(policy) : EMPTY_POLICY));
  const [errors, setErrors] = useState<FieldErrors>({});
  const create = useCreateEscalationPolicy();
  const update = useUpdateEscalationPolicy(policy?.policy_id ?? '');
  const mutation = policy ? update : create;
  const pending = mutation.isPending;
  const focusFirst = useRef(false);
  const formRef = useRef<HTMLFormElement>(null);

  // Focus the first field with an error once the form is enabled again.
  useEffect(() => {
    if (!focusFirst.current || pending) return;
    focusFirst.current = false;
    focusFirstError(formRef.current);
  });

  const errorPaths = policyErrorPaths(values.steps.length);
  const idOf = (path: string) => fieldId(id, path);
  const describe = (path: string) => (errors[path] ? `${idOf(path)}-error` : undefined);

  function setStep(index: number, step: StepValues) {
    setValues((current) => ({ ...current, steps: current.steps.map((s, i) => (i === index ? step : s)) }));
  }

  function addStep() {
    setValues((current) => {
      const last = Number(current.steps.at(-1)?.after_minutes ?? 0) || 0;
      return { ...current, steps: [...current.steps, { ...EMPTY_STEP, after_minutes: String(last + 15) }] };
    });
  }

  function removeStep(index: number) {
    setValues((current) => ({ ...current, steps: current.steps.filter((_, i) => i !== index) }));
    setErrors({});
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = validatePolicy(values, t);
    setErrors(found);
    if (Object.keys(found).length) {
      focusFirst.current = true;
      return;
    }
    mutation.mutate(policyInput(values), {
      onSuccess: () => onDone(),
      onError: (error) => {
        const mapped = serverFieldErrors(error, errorPaths, t);
        setErrors(mapped);
        focusFirst.current = Object.keys(mapped).length > 0;
      },
    });
  }

  const fieldErrorCount = Object.keys(errors).filter((key) => key !== 'form').length;

  return (
    <form ref={formRef} className="settings-card policy-form" onSubmit={submit} noValidate aria-busy={pending}>
      <h2>{policy ? t('admin.policy.editHeading', { name: policy.name }) : t('admin.policy.newHeading')}</h2>
      {fieldErrorCount > 0 || errors.form || (mutation.isError && fieldErrorCount === 0) ? (
        <div className="alert alert-error" role="alert">
          <p>{fieldErrorCount > 0 ? t('form.fixFields') : (errors.form ?? errorMessage(mutation.error, t))}</p>
          {fieldErrorCount > 0 && errors.form ? <p>{errors.form}</p> : null}
        </div>
      ) : null}

      <div className="field">
        <label htmlFor={idOf('name')}>
          {t('admin.policy.name')} <span className="required-mark">{t('form.required')}</span>
        </label>
        <input
          id={idOf('name')}
          value={values.name}
          maxLength={POLICY_LIMITS.name + 20}
          onChange={(event) => setValues((current) => ({ ...current, name: event.target.value }))}
          aria-invalid={Boolean(errors.name) || undefined}
          aria-describedby={describe('name')}
          disabled={pending}
        />
        <FieldMessage id={`${idOf('name')}-error`} message={errors.name} />
      </div>

      <div className="field">
        <label htmlFor={idOf('repeat')}>{t('admin.policy.repeat')}</label>
        <input
          id={idOf('repeat')}
          type="number"
          inputMode="numeric"
          min={0}
          max={POLICY_LIMITS.repeat}
          value={values.repeat}
          onChange={(event) => setValues((current) => ({ ...current, repeat: event.target.value }))}
          aria-invalid={Boolean(errors.repeat) || undefined}
          aria-describedby={[`${idOf('repeat')}-hint`, describe('repeat')].filter(Boolean).join(' ')}
          disabled={pending}
        />
        <p id={`${idOf('repeat')}-hint`} className="field-hint">
          {t('admin.policy.repeatHint', { max: POLICY_LIMITS.repeat })}
        </p>
        <FieldMessage id={`${idOf('repeat')}-error`} message={errors.repeat} />
      </div>

      <h3>{t('admin.policy.steps')}</h3>
      <FieldMessage id={`${idOf('steps')}-error`} message={errors.steps} />
      <ol className="step-list">
        {values.steps.map((step, index) => (
          <li key={index}>
            <StepEditor
              formId={id}
              index={index}
              step={step}
              errors={errors}
              onChange={(next) => setStep(index, next)}
              onRemove={values.steps.length > 1 ? () => removeStep(index) : null}
              disabled={pending}
            />
          </li>
        ))}
      </ol>
      {values.steps.length < POLICY_LIMITS.steps ? (
        <button type="button" className="button button-secondary" onClick={addStep} disabled={pending}>
          <span aria-hidden="true">＋</span>
          {t('admin.policy.addStep')}
        </button>
      ) : null}

      <div className="form-actions">
        <button type="button" className="button button-secondary" onClick={onCancel} disabled={pending}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? t('common.saving') : t('admin.save')}
        </button>
      </div>
    </form>
  );
}
