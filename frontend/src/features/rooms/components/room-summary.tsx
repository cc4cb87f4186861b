import { useTranslation } from 'react-i18next';
import { formatDateTime } from '@/lib/format';
import { SeverityBadge } from '@/features/rooms/components/severity-badge';
import { StatusBadge } from '@/features/rooms/components/status-badge';
import type { Room } from '@/features/rooms/types';

/** The room's settings, read-only (viewers, archived rooms, the fields an editor cannot change). */
export function RoomSummary({ room }: { room: Room }) {
  const { t, i18n } = useTranslation();
  return (
    <dl className="room-summary">
      <div>
        <dt>{t('room.fields.title')}</dt>
        <dd>{room.title}</dd>
      </div>
      <div>
        <dt>{t('room.fields.incident_type')}</dt>
        <dd>{t(`rooms.type.${room.incident_type}`)}</dd>
      </div>
      <div>
        <dt>{t('room.fields.severity')}</dt>
        <dd>
          <SeverityBadge severity={room.severity} />
        </dd>
      </div>
      <div>
        <dt>{t('room.fields.status')}</dt>
        <dd>
          <StatusBadge status={room.status} />
        </dd>
      </div>
      <div>
        <dt>{t('room.fields.location')}</dt>
        <dd>{room.location || t('room.none')}</dd>
      </div>
      <div>
        <dt>{t('room.fields.description')}</dt>
        <dd className="pre-wrap">{room.description || t('room.none')}</dd>
      </div>
      {room.resolution_note ? (
        <div>
          <dt>{t('room.fields.resolution_note')}</dt>
          <dd className="pre-wrap">{room.resolution_note}</dd>
        </div>
      ) : null}
      {room.resolved_at ? (
        <div>
          <dt>{t('room.fields.resolved_at')}</dt>
          <dd>
            <time dateTime={room.resolved_at}>{formatDateTime(room.resolved_at, i18n.language)}</time>
          </dd>
        </div>
      ) : null}
    </dl>
  );
}
