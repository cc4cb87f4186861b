import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '@/lib/errors';
import { useCreateWebhook, type CreatedWebhook } from '@/features/admin/api/create-webhook';
import { WEBHOOK_EVENTS, WEBHOOK_LIMITS, type WebhookEvent } from '@/features/admin/api/get-webhooks';
import { FieldMessage } from '@/features/admin/components/field-message';
import { fieldId, focusFirstError, serverFieldErrors, type FieldErrors } from '@/features/admin/utils/field-errors';

type Props = {
  onCreated: (webhook: CreatedWebhook) => void;
  onCancel: () => void;
};

/** What the browser can check; whether the address is allowed (https, public) is the API's call. */
function urlError(value: string, t: (key: string, options?: Record<string, unknown>) => string): string | undefined {
  if (!value) return t('admin.webhooks.errors.urlRequired');
  if (value.length > WEBHOOK_LIMITS.url) return t('admin.errors.tooLong', { max: WEBHOOK_LIMITS.url });
  try {
    const parsed = new URL(value);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return t('admin.webhooks.errors.urlScheme');
  } catch {
    return t('admin.webhooks.errors.urlInvalid');
  }
  return undefined;
}

/** Register a webhook: the receiver's URL, the room events it gets and a note for people. */
export function WebhookForm({ onCreated, onCancel }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const create = useCreateWebhook();
  const formRef = useRef<HTMLFormElement>(null);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>([...WEBHOOK_EVENTS]);
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const idOf = (path: string) => fieldId(id, path);
  const describe = (path: string, hint = false) =>
    [hint ? `${idOf(path)}-hint` : null, errors[path] ? `${idOf(path)}-error` : null].filter(Boolean).join(' ') || undefined;

  function toggle(event: WebhookEvent, on: boolean) {
    setEvents((current) => WEBHOOK_EVENTS.filter((e) => (e === event ? on : current.includes(e))));
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmedUrl = url.trim();
    const trimmedDescription = description.trim();
    const found: FieldErrors = {};
    const badUrl = urlError(trimmedUrl, t);
    if (badUrl) found.url = badUrl;
    if (!events.length) found.events = t('admin.webhooks.errors.noEvents');
    if (trimmedDescription.length > WEBHOOK_LIMITS.description) {
      found.description = t('admin.errors.tooLong', { max: WEBHOOK_LIMITS.description });
    }
    setErrors(found);
    if (Object.keys(found).length) {
      requestAnimationFrame(() => focusFirstError(formRef.current));
      return;
    }
    create.mutate(
      { url: trimmedUrl, events, ...(trimmedDescription ? { description: trimmedDescription } : {}) },
      {
        onSuccess: onCreated,
        onError: (error) => {
          setErrors(serverFieldErrors(error, ['url', 'events', 'description'], t));
          requestAnimationFrame(() => focusFirstError(formRef.current));
        },
      },
    );
  }

  const fieldErrorCount = Object.keys(errors).filter((key) => key !== 'form').length;
  const pending = create.isPending;

  return (
    <form ref={formRef} className="settings-card" onSubmit={submit} noValidate aria-busy={pending}>
      <h3>{t('admin.webhooks.newHeading')}</h3>
      {fieldErrorCount > 0 || errors.form || (create.isError && fieldErrorCount === 0) ? (
        <div className="alert alert-error" role="alert">
          <p>{fieldErrorCount > 0 ? t('form.fixFields') : (errors.form ?? errorMessage(create.error, t))}</p>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={idOf('url')}>
          {t('admin.webhooks.url')} <span className="required-mark">{t('form.required')}</span>
        </label>
        <input
          id={idOf('url')}
          type="url"
          inputMode="url"
          value={url}
          placeholder="https://"
          spellCheck={false}
          autoComplete="off"
          onChange={(event) => setUrl(event.target.value)}
          aria-invalid={Boolean(errors.url) || undefined}
          aria-describedby={describe('url', true)}
          disabled={pending}
        />
        <p id={`${idOf('url')}-hint`} className="field-hint">
          {t('admin.webhooks.urlHint')}
        </p>
        <FieldMessage id={`${idOf('url')}-error`} message={errors.url} />
      </div>
      <fieldset className="role-choices" aria-describedby={describe('events')} aria-invalid={Boolean(errors.events) || undefined}>
        <legend>{t('admin.webhooks.events')}</legend>
        {WEBHOOK_EVENTS.map((name) => (
          <label key={name} className="checkbox">
            <input
              type="checkbox"
              checked={events.includes(name)}
              onChange={(event) => toggle(name, event.target.checked)}
              aria-invalid={Boolean(errors.events) || undefined}
              disabled={pending}
            />
            {t(`admin.webhooks.event.${name}`)}
          </label>
        ))}
      </fieldset>
      <FieldMessage id={`${idOf('events')}-error`} message={errors.events} />
      <div className="field">
        <label htmlFor={idOf('description')}>{t('admin.webhooks.description')}</label>
        <input
          id={idOf('description')}
          value={description}
          maxLength={WEBHOOK_LIMITS.description + 20}
          onChange={(event) => setDescription(event.target.value)}
          aria-invalid={Boolean(errors.description) || undefined}
          aria-describedby={describe('description', true)}
          disabled={pending}
        />
        <p id={`${idOf('description')}-hint`} className="field-hint">
          {t('admin.webhooks.descriptionHint')}
        </p>
        <FieldMessage id={`${idOf('description')}-error`} message={errors.description} />
      </div>
      <div className="form-actions">
        <button type="button" className="button button-secondary" onClick={onCancel} disabled={pending}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? t('admin.webhooks.creating') : t('admin.webhooks.create')}
        </button>
      </div>
    </form>
  );
}
