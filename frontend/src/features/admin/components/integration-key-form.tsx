import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '@/lib/errors';
import { areaOptions, usePlant } from '@/lib/plant';
import { useCreateIntegrationKey, type CreatedIntegrationKey } from '@/features/admin/api/create-integration-key';
import { INTEGRATION_KEY_LIMITS } from '@/features/admin/api/get-integration-keys';
import { FieldMessage } from '@/features/admin/components/field-message';
import { fieldId, serverFieldErrors, type FieldErrors } from '@/features/admin/utils/field-errors';

type Props = {
  onCreated: (key: CreatedIntegrationKey) => void;
  onCancel: () => void;
};

/** Create an integration key: a name and, optionally, the one line it may raise events for. */
export function IntegrationKeyForm({ onCreated, onCancel }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const plant = usePlant();
  const create = useCreateIntegrationKey();
  const [name, setName] = useState('');
  const [lineId, setLineId] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const nameRef = useRef<HTMLInputElement>(null);
  const idOf = (path: string) => fieldId(id, path);
  const describe = (path: string, hint = false) =>
    [hint ? `${idOf(path)}-hint` : null, errors[path] ? `${idOf(path)}-error` : null].filter(Boolean).join(' ') || undefined;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmed = name.trim();
    const found: FieldErrors = {};
    if (!trimmed) found.name = t('admin.integrationKeys.errors.nameRequired');
    else if (trimmed.length > INTEGRATION_KEY_LIMITS.name) found.name = t('admin.errors.tooLong', { max: INTEGRATION_KEY_LIMITS.name });
    setErrors(found);
    if (Object.keys(found).length) {
      nameRef.current?.focus();
      return;
    }
    create.mutate(lineId ? { name: trimmed, line_id: lineId } : { name: trimmed }, {
      onSuccess: onCreated,
      onError: (error) => setErrors(serverFieldErrors(error, ['name', 'line_id'], t)),
    });
  }

  const fieldErrorCount = Object.keys(errors).filter((key) => key !== 'form').length;
  const pending = create.isPending;

  return (
    <form className="settings-card" onSubmit={submit} noValidate aria-busy={pending}>
      <h3>{t('admin.integrationKeys.newHeading')}</h3>
      {fieldErrorCount > 0 || errors.form || (create.isError && fieldErrorCount === 0) ? (
        <div className="alert alert-error" role="alert">
          <p>{fieldErrorCount > 0 ? t('form.fixFields') : (errors.form ?? errorMessage(create.error, t))}</p>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={idOf('name')}>
          {t('admin.integrationKeys.name')} <span className="required-mark">{t('form.required')}</span>
        </label>
        <input
          ref={nameRef}
          id={idOf('name')}
          value={name}
          maxLength={INTEGRATION_KEY_LIMITS.name + 20}
          onChange={(event) => setName(event.target.value)}
          aria-invalid={Boolean(errors.name) || undefined}
          aria-describedby={describe('name', true)}
          disabled={pending}
        />
        <p id={`${idOf('name')}-hint`} className="field-hint">
          {t('admin.integrationKeys.nameHint')}
        </p>
        <FieldMessage id={`${idOf('name')}-error`} message={errors.name} />
      </div>
      <div className="field">
        <label htmlFor={idOf('line_id')}>{t('admin.integrationKeys.line')}</label>
        <select
          id={idOf('line_id')}
          value={lineId}
          onChange={(event) => setLineId(event.target.value)}
          aria-invalid={Boolean(errors.line_id) || undefined}
          aria-describedby={describe('line_id', true)}
          disabled={pending}
        >
          <option value="">{t('admin.integrationKeys.anyLine')}</option>
          {areaOptions(plant.data).map((area) => (
            <optgroup key={area.area_id} label={area.label}>
              {area.lines.map((line) => (
                <option key={line.line_id} value={line.line_id}>
                  {`${line.name} (${line.line_id})`}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <p id={`${idOf('line_id')}-hint`} className="field-hint">
          {t('admin.integrationKeys.lineHint')}
        </p>
        <FieldMessage id={`${idOf('line_id')}-error`} message={errors.line_id} />
      </div>
      <div className="form-actions">
        <button type="button" className="button button-secondary" onClick={onCancel} disabled={pending}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? t('admin.integrationKeys.creating') : t('admin.integrationKeys.create')}
        </button>
      </div>
    </form>
  );
}
