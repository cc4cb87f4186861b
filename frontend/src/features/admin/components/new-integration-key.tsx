import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreatedIntegrationKey } from '@/features/admin/api/create-integration-key';

type Props = { created: CreatedIntegrationKey; onDone: () => void };

/** The new key's secret, shown this once, with a copy button (the API stores only its hash). */
export function NewIntegrationKey({ created, onDone }: Props) {
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
      await navigator.clipboard.writeText(created.api_key);
      setStatus(t('admin.integrationKeys.copied'));
    } catch {
      inputRef.current?.focus();
      inputRef.current?.select();
      setStatus(t('admin.integrationKeys.copyFailed'));
    }
  }

  return (
    <section className="settings-card" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{t('admin.integrationKeys.createdHeading', { name: created.name })}</h3>
      <p className="alert alert-info" role="note">
        {t('admin.integrationKeys.onceWarning')}
      </p>
      <div className="field">
        <label htmlFor={`${id}-key`}>{t('admin.integrationKeys.keyLabel')}</label>
        <input
          ref={inputRef}
          id={`${id}-key`}
          value={created.api_key}
          readOnly
          spellCheck={false}
          autoComplete="off"
          onFocus={(event) => event.target.select()}
        />
      </div>
      <p className="form-status" role="status">
        {status}
      </p>
      <div className="form-actions">
        <button type="button" className="button button-secondary" onClick={() => void copy()}>
          {t('admin.integrationKeys.copy')}
        </button>
        <button type="button" className="button button-primary" onClick={onDone}>
          {t('admin.integrationKeys.done')}
        </button>
      </div>
    </section>
  );
}
