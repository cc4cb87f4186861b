import { useTranslation } from 'react-i18next';
import { useConnectionState } from '@/lib/socket/hooks';

/** Live connection state in the header: colour dot AND text, announced politely. */
export function ConnectionStatus() {
  const { t } = useTranslation();
  const state = useConnectionState();
  const shown = state === 'idle' ? 'connecting' : state;
  return (
    <span className={`connection-status connection-${shown}`} data-state={shown} role="status" aria-live="polite">
      <span className="connection-dot" aria-hidden="true" />
      <span className="visually-hidden">{t('connection.label')}: </span>
      {t(`connection.${shown}`)}
    </span>
  );
}
