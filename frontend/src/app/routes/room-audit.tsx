import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { hasRole } from '@/lib/roles';
import { AuditLog } from '@/features/chat/components/audit-log';
import { fallbackName } from '@/features/chat/utils/format';
import { useMembers } from '@/features/rooms/api/get-members';
import { useRoom } from '@/features/rooms/api/get-room';

/** /rooms/:roomId/audit — the edit / delete log, for the room's OWNERs and administrators. */
export function RoomAuditRoute() {
  const { t } = useTranslation();
  const { roomId = '' } = useParams();
  const room = useRoom(roomId);
  const members = useMembers(roomId);
  const names = useMemo(() => new Map((members.data ?? []).map((m) => [m.user_id, m.display_name])), [members.data]);
  const nameOf = useCallback((userId: string) => names.get(userId) ?? fallbackName(userId), [names]);
  if (room.isPending) return <Loading />;
  if (room.isError) return <ErrorAlert error={room.error} onRetry={() => void room.refetch()} />;
  return (
    <section className="room-section audit-section" aria-labelledby="room-section-heading">
      <h2 id="room-section-heading">{t('ops.audit.heading')}</h2>
      {hasRole(room.data.my_role, 'OWNER') ? (
        <>
          <p className="hint">{t('ops.audit.intro')}</p>
          <AuditLog roomId={roomId} nameOf={nameOf} />
        </>
      ) : (
        <p className="alert alert-info" role="note">
          {t('ops.audit.forbidden')}
        </p>
      )}
    </section>
  );
}
