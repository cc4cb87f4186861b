import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDateTime } from '@/lib/format';
import type { Room } from '@/features/rooms/types';
import { AckBadge, isUnacknowledgedCritical } from '@/features/rooms/components/ack-badge';
import { hasPlace, RoomPlace } from '@/features/rooms/components/room-place';
import { RoomTimers } from '@/features/rooms/components/room-timers';
import { SeverityBadge } from '@/features/rooms/components/severity-badge';
import { StatusBadge } from '@/features/rooms/components/status-badge';

export function RoomListItem({ room }: { room: Room }) {
  const { t, i18n } = useTranslation();
  return (
    <li
      className={`room-item room-item-${room.severity} ${isUnacknowledgedCritical(room) ? 'room-item-alert' : ''}`}
      data-unacknowledged-critical={isUnacknowledgedCritical(room) || undefined}
    >
      <Link to={`/rooms/${encodeURIComponent(room.room_id)}`} className="room-link">
        <div className="room-item-top">
          <h2 className="room-title">{room.title}</h2>
          <div className="room-badges">
            <SeverityBadge severity={room.severity} />
            <StatusBadge status={room.status} />
            <AckBadge room={room} />
          </div>
        </div>
        <RoomTimers room={room} className="room-item-timers" />
        <dl className="room-meta">
          <div>
            <dt className="visually-hidden">{t('rooms.filters.type')}</dt>
            <dd>{t(`rooms.type.${room.incident_type}`)}</dd>
          </div>
          {hasPlace(room) ? (
            <div className="room-meta-place">
              <dt>{t('place.label')}</dt>
              <dd>
                <RoomPlace room={room} variant="compact" />
              </dd>
            </div>
          ) : null}
          {room.location ? (
            <div>
              <dt>{t('rooms.location')}</dt>
              <dd>{room.location}</dd>
            </div>
          ) : null}
          <div>
            <dt>{t('rooms.lastActivity')}</dt>
            <dd>
              <time dateTime={room.last_activity_at}>{formatDateTime(room.last_activity_at, i18n.language)}</time>
            </dd>
          </div>
          <div>
            <dt className="visually-hidden">{t('nav.members')}</dt>
            <dd>{t('rooms.memberCount', { count: room.member_count })}</dd>
          </div>
        </dl>
      </Link>
    </li>
  );
}
