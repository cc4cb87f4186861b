import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreatedWebhook } from '@/features/admin/api/create-webhook';

type Props = { created: CreatedWebhook; onDone: () => void };

/** The new webhook's signing secret, shown this once, with a copy button. */
export function NewWebhookSecret({ created, onDone }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState('');

  useEffect(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
  }, []);

  async function copy() {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(created.secret);
      setStatus(t('admin.webhooks.copied'));
    } catch {
      inputRef.current?.focus();
      inputRef.current?.select();
      setStatus(t('admin.webhooks.copyFailed'));
    }
  }

  return (
    <section className="settings-card" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{t('admin.webhooks.createdHeading')}</h3>
      <p className="alert alert-info" role="note">
        {t('admin.webhooks.onceWarning')}
      </p>
      <div className="field">
        <label htmlFor={`${id}-secret`}>{t('admin.webhooks.secretLabel')}</label>
        <input
          ref={inputRef}
          id={`${id}-secret`}
          value={created.secret}
          readOnly
          spellCheck={false}
          autoComplete="off"
          aria-describedby={`${id}-how`}
          onFocus={(event) => event.target.select()}
        />
        <p id={`${id}-how`} className="field-hint">
          {t('admin.webhooks.signatureHint')}
        </p>
      </div>
      <p className="form-status" role="status">
        {status}
      </p>
      <div className="form-actions">
        <button type="button" className="button button-secondary" onClick={() => void copy()}>
          {t('admin.webhooks.copy')}
        </button>
        <button type="button" className="button button-primary" onClick={onDone}>
          {t('admin.webhooks.done')}
        </button>
      </div>
    </section>
  );
}
