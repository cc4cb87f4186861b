import { useTranslation } from 'react-i18next';
import { errorMessage } from '@/lib/errors';

type Props = { error: unknown; onRetry?: () => void };

export function ErrorAlert({ error, onRetry }: Props) {
  const { t } = useTranslation();
  return (
    <div className="alert alert-error" role="alert">
      <p>{errorMessage(error, t)}</p>
      {onRetry ? (
        <button type="button" className="button button-secondary" onClick={onRetry}>
          {t('errors.retry')}
        </button>
      ) : null}
    </div>
  );
}
