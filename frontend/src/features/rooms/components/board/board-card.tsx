import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { AckBadge } from '@/features/rooms/components/ack-badge';
import { hasPlace, RoomPlace } from '@/features/rooms/components/room-place';
import { RoomTimers } from '@/features/rooms/components/room-timers';
import { SeverityBadge } from '@/features/rooms/components/severity-badge';
import { isUnacknowledged } from '@/features/rooms/utils/room-timers';
import type { Room } from '@/features/rooms/types';

/** One open room on the line board: state in words, title, place, large timers. */
export function BoardCard({ room }: { room: Room }) {
  const { t } = useTranslation();
  const waiting = isUnacknowledged(room);
  return (
    <li
      className={`board-card board-card-${room.severity} ${waiting ? 'board-card-waiting' : 'board-card-taken'}`}
      data-room-id={room.room_id}
    >
      <Link to={`/rooms/${encodeURIComponent(room.room_id)}`} className="board-card-link">
        <div className="board-card-badges">
          <SeverityBadge severity={room.severity} />
          {waiting ? (
            <AckBadge room={room} />
          ) : (
            <span className="badge ack-badge ack-badge-taken">
              <span aria-hidden="true">✓</span>
              {t('rooms.ack.taken')}
            </span>
          )}
          {(room.escalation_level ?? 0) > 0 ? (
            <span className="badge escalation-badge">{t('rooms.escalation.level', { level: room.escalation_level })}</span>
          ) : null}
        </div>
        <h2 className="board-card-title">{room.title}</h2>
        {hasPlace(room) ? (
          <p className="board-card-place">
            <span className="visually-hidden">{t('place.label')}：</span>
            <RoomPlace room={room} variant="compact" />
          </p>
        ) : null}
        {room.location ? <p className="board-card-location">{room.location}</p> : null}
        <RoomTimers room={room} className="board-card-timers" />
      </Link>
    </li>
  );
}
