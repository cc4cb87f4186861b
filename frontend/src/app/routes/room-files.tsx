import { useCallback, useMemo } from 'react';
import { useParams } from 'react-router';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { useSession } from '@/lib/session';
import { useMembers } from '@/features/rooms/api/get-members';
import { useRoom } from '@/features/rooms/api/get-room';
import { FilesPage } from '@/features/files/components/files-page';

/** The room's files: list, filter, download, delete, upload (names from the member list). */
export function RoomFilesRoute() {
  const { roomId = '' } = useParams();
  const { user } = useSession();
  const room = useRoom(roomId);
  const members = useMembers(roomId);
  const names = useMemo(() => new Map((members.data ?? []).map((m) => [m.user_id, m.display_name])), [members.data]);
  const nameOf = useCallback((userId: string) => names.get(userId) ?? userId.split('@')[0] ?? userId, [names]);
  if (!user || room.isPending) return <Loading />;
  if (room.isError) return <ErrorAlert error={room.error} onRetry={() => void room.refetch()} />;
  return (
    <FilesPage
      key={roomId}
      roomId={roomId}
      selfId={user.user_id}
      role={room.data.my_role}
      room={room.data}
      nameOf={nameOf}
    />
  );
}
