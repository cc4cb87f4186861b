import { useMemo } from 'react';
import { Outlet, useNavigate, useParams, useSearchParams } from 'react-router';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { canWrite } from '@/lib/roles';
import { useSession } from '@/lib/session';
import { ChatRoom } from '@/features/chat/components/chat-room';
import { useMembers } from '@/features/rooms/api/get-members';
import { useRoom } from '@/features/rooms/api/get-room';
import { RoomMembers } from '@/features/rooms/components/room-members';
import { RoomSettings } from '@/features/rooms/components/room-settings';
import { RoomHeader } from '@/features/rooms/components/room-header';
import { RoomNav } from '@/features/rooms/components/room-nav';
import { useChatAttachments } from '@/app/chat-attachments';

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
  const [params] = useSearchParams();
  const focus = Number(params.get('focus'));
  const { user } = useSession();
  const room = useRoom(roomId);
  const members = useMembers(roomId);
  const chatMembers = useMemo(
    () => (members.data ?? []).map((m) => ({ user_id: m.user_id, display_name: m.display_name, online: m.online })),
    [members.data],
  );
  const canUpload = canWrite(room.data?.my_role, room.data);
  const attachments = useChatAttachments(roomId, canUpload);
  if (!user || room.isPending) return <Loading />;
  if (room.isError) return <ErrorAlert error={room.error} onRetry={() => void room.refetch()} />;
  return (
    <ChatRoom
      key={roomId}
      roomId={roomId}
      selfId={user.user_id}
      role={room.data.my_role}
      room={room.data}
      members={chatMembers}
      focusSeq={Number.isInteger(focus) && focus > 0 ? focus : null}
      attachments={attachments}
    />
  );
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
