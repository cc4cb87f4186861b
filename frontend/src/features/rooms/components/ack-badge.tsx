import { useTranslation } from 'react-i18next';
import { isUnacknowledged } from '@/features/rooms/utils/room-timers';
import type { Room } from '@/features/rooms/types';

/** True for the rooms that must stand out: critical and nobody has taken them. */
export function isUnacknowledgedCritical(room: Pick<Room, 'status' | 'acknowledged_at' | 'severity'>): boolean {
  return isUnacknowledged(room) && room.severity === 'critical';
}

/** 「未接手」 in words (never colour alone); 「緊急・無人接手」 for a critical room. */
export function AckBadge({ room }: { room: Pick<Room, 'status' | 'acknowledged_at' | 'severity'> }) {
  const { t } = useTranslation();
  if (!isUnacknowledged(room)) return null;
  const critical = room.severity === 'critical';
  return (
    <span className={`badge ack-badge ${critical ? 'ack-badge-critical' : ''}`} data-testid="ack-badge">
      <span aria-hidden="true">{critical ? '⚠' : '○'}</span>
      {critical ? t('rooms.ack.criticalUnacknowledged') : t('rooms.ack.unacknowledged')}
    </span>
  );
}
