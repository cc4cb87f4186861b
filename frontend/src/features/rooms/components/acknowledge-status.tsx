import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { isApiError } from '@/lib/api-client';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { canWrite } from '@/lib/roles';
import { useAcknowledgeRoom } from '@/features/rooms/api/acknowledge-room';
import { useMembers } from '@/features/rooms/api/get-members';
import { isUnacknowledged } from '@/features/rooms/utils/room-timers';
import type { Room } from '@/features/rooms/types';

function ackErrorMessage(error: unknown, t: TFunction): string {
  if (isApiError(error) && error.status === 409) return t('rooms.ack.errors.conflict');
  if (isApiError(error) && error.status === 403) return t('rooms.ack.errors.forbidden');
  return t('rooms.ack.errors.failed', { reason: errorMessage(error, t) });
}

/** A member's display name (the member list is cached with the room); the id's local part otherwise. */
function MemberName({ roomId, userId }: { roomId: string; userId: string }) {
  const members = useMembers(roomId);
  const name = members.data?.find((m) => m.user_id === userId)?.display_name;
  return <>{name ?? (userId.split('@')[0] || userId)}</>;
}

type Props = { room: Room; selfId: string };

/**
 * 「我來處理」 in the room header: a one-tap button on an open room nobody has taken (EDITOR,
 * OWNER, administrators — never VIEWERs), then who took it and when. The tap shows at once
 * (optimistic) and is marked as sending until the server confirms it.
 */
export function AcknowledgeStatus({ room, selfId }: Props) {
  const { t, i18n } = useTranslation();
  const hintId = useId();
  const acknowledge = useAcknowledgeRoom(room.room_id, selfId);

  if (room.acknowledged_at && room.acknowledged_by) {
    const self = room.acknowledged_by === selfId;
    return (
      <p className="ack-done" role="status" data-testid="ack-done">
        <span className="ack-check" aria-hidden="true">
          ✓
        </span>
        <span>
          {t('rooms.ack.by')}
          <strong>{self ? t('rooms.ack.you') : <MemberName roomId={room.room_id} userId={room.acknowledged_by} />}</strong>
          {' · '}
          <time dateTime={room.acknowledged_at}>{formatDateTime(room.acknowledged_at, i18n.language)}</time>
          {acknowledge.isPending ? <span className="ack-pending">{t('rooms.ack.sending')}</span> : null}
        </span>
      </p>
    );
  }

  const error = acknowledge.isError ? (
    <p className="field-error" role="alert">
      {ackErrorMessage(acknowledge.error, t)}
    </p>
  ) : null;
  // resolved or archived meanwhile (409): nothing to take any more, but say why it failed
  if (!isUnacknowledged(room)) return error;

  if (!canWrite(room.my_role, room)) {
    return (
      <p className="ack-waiting" data-testid="ack-waiting">
        {t('rooms.ack.nobodyYet')}
      </p>
    );
  }
  return (
    <div className="ack-action">
      {error}
      <button
        type="button"
        className="button button-ack"
        onClick={() => acknowledge.mutate()}
        disabled={acknowledge.isPending}
        aria-describedby={hintId}
      >
        {t('rooms.ack.button')}
      </button>
      <p id={hintId} className="field-hint">
        {t('rooms.ack.hint')}
      </p>
    </div>
  );
}
