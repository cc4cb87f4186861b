import { useTranslation } from 'react-i18next';
import { Outlet, useNavigate, useParams } from 'react-router';
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

export function RoomChatRoute() {
  const { t } = useTranslation();
  return (
    <section className="room-section" aria-labelledby="room-section-heading">
      <h2 id="room-section-heading">{t('nav.chat')}</h2>
      <p className="placeholder">{t('room.chatPlaceholder')}</p>
    </section>
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
