import { useTranslation } from 'react-i18next';
import { useMemo } from 'react';
import { Outlet, useNavigate, useParams } from 'react-router';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { useSession } from '@/lib/session';
import { ChatRoom } from '@/features/chat/components/chat-room';
import { useMembers } from '@/features/rooms/api/get-members';
import { useRoom } from '@/features/rooms/api/get-room';
import { RoomMembers } from '@/features/rooms/components/room-members';
import { RoomSettings } from '@/features/rooms/components/room-settings';
import { RoomHeader } from '@/features/rooms/components/room-header';
import { RoomNav } from '@/features/rooms/components/room-nav';

/** /rooms/:roomId — room header and section tabs around the section page. */
export function RoomLayoutRoute() {
  const { roomId = '' } = useParams();
  return (
    <div className="page room-page">
      <RoomHeader roomId={roomId} />
      <RoomNav roomId={roomId} />
      <Outlet />
    </div>
  );
}

/** The chat, composed from the room (role, status) and its members (display names). */
export function RoomChatRoute() {
  const { roomId = '' } = useParams();
  const { user } = useSession();
  const room = useRoom(roomId);
  const members = useMembers(roomId);
  const chatMembers = useMemo(
    () => (members.data ?? []).map((m) => ({ user_id: m.user_id, display_name: m.display_name, online: m.online })),
    [members.data],
  );
  if (!user || room.isPending) return <Loading />;
  if (room.isError) return <ErrorAlert error={room.error} onRetry={() => void room.refetch()} />;
  return (
    <ChatRoom
      key={roomId}
      roomId={roomId}
      selfId={user.user_id}
      role={room.data.my_role}
      archived={room.data.status === 'archived'}
      members={chatMembers}
    />
  );
}

function PlaceholderSection({ titleKey }: { titleKey: 'nav.files' }) {
  const { t } = useTranslation();
  return (
    <section className="room-section" aria-labelledby="room-section-heading">
      <h2 id="room-section-heading">{t(titleKey)}</h2>
      <p className="placeholder">{t('room.comingSoon')}</p>
    </section>
  );
}

export function RoomFilesRoute() {
  return <PlaceholderSection titleKey="nav.files" />;
}

export function RoomMembersRoute() {
  const { roomId = '' } = useParams();
  const navigate = useNavigate();
  return <RoomMembers roomId={roomId} onLeft={() => void navigate('/rooms', { replace: true })} />;
}

export function RoomSettingsRoute() {
  const { roomId = '' } = useParams();
  return <RoomSettings roomId={roomId} />;
}
