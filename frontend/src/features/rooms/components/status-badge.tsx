import { useTranslation } from 'react-i18next';
import type { RoomStatus } from '@/features/rooms/types';

export function StatusBadge({ status }: { status: RoomStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`badge status status-${status}`} data-status={status}>
      <span className="visually-hidden">{t('rooms.filters.status')}: </span>
      {t(`rooms.status.${status}`)}
    </span>
  );
}
