import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { useRoom } from '@/features/rooms/api/get-room';
import { SeverityBadge } from '@/features/rooms/components/severity-badge';
import { StatusBadge } from '@/features/rooms/components/status-badge';

export function RoomHeader({ roomId }: { roomId: string }) {
  const { t } = useTranslation();
  const query = useRoom(roomId);
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  const room = query.data;
  return (
    <header className="room-header">
      <h1>{room.title}</h1>
      <div className="room-badges">
        <SeverityBadge severity={room.severity} />
        <StatusBadge status={room.status} />
        <span className="badge">{t(`rooms.type.${room.incident_type}`)}</span>
      </div>
      {room.location ? <p className="room-location">{room.location}</p> : null}
    </header>
  );
}
