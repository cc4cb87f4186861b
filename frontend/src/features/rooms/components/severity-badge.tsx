import { useTranslation } from 'react-i18next';
import type { Severity } from '@/features/rooms/types';

/** Severity by colour AND text (colour alone fails colour-blind users and glare). */
export function SeverityBadge({ severity }: { severity: Severity }) {
  const { t } = useTranslation();
  return (
    <span className={`badge severity severity-${severity}`} data-severity={severity}>
      <span className="severity-dot" aria-hidden="true" />
      {t('rooms.severityLabel', { level: t(`rooms.severity.${severity}`) })}
    </span>
  );
}
