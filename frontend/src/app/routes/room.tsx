import { useTranslation } from 'react-i18next';
import { Outlet, useParams } from 'react-router';
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

function PlaceholderSection({ titleKey }: { titleKey: 'nav.files' | 'nav.members' | 'nav.settings' }) {
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
  return <PlaceholderSection titleKey="nav.members" />;
}

export function RoomSettingsRoute() {
  return <PlaceholderSection titleKey="nav.settings" />;
}
