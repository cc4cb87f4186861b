import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { useSession } from '@/lib/session';
import { useRoom } from '@/features/rooms/api/get-room';
import { AckBadge } from '@/features/rooms/components/ack-badge';
import { AcknowledgeStatus } from '@/features/rooms/components/acknowledge-status';
import { hasPlace, RoomPlace } from '@/features/rooms/components/room-place';
import { ReportDownloads } from '@/features/rooms/components/report-downloads';
import { RoomTimers } from '@/features/rooms/components/room-timers';
import { SeverityBadge } from '@/features/rooms/components/severity-badge';
import { StatusBadge } from '@/features/rooms/components/status-badge';

export function RoomHeader({ roomId }: { roomId: string }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const query = useRoom(roomId);
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  const room = query.data;
  const level = room.escalation_level ?? 0;
  return (
    <header className="room-header">
      <h1>{room.title}</h1>
      <div className="room-badges">
        <SeverityBadge severity={room.severity} />
        <StatusBadge status={room.status} />
        <AckBadge room={room} />
        {level > 0 ? <span className="badge escalation-badge">{t('rooms.escalation.level', { level })}</span> : null}
        <span className="badge">{t(`rooms.type.${room.incident_type}`)}</span>
      </div>
      {hasPlace(room) ? <RoomPlace room={room} variant="full" /> : null}
      {room.location ? <p className="room-location">{room.location}</p> : null}
      <div className="room-response">
        <RoomTimers room={room} />
        {user ? <AcknowledgeStatus room={room} selfId={user.user_id} /> : null}
      </div>
      <ReportDownloads roomId={room.room_id} />
    </header>
  );
}
