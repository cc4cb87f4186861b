import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { hasRole } from '@/lib/roles';
import { useRoom } from '@/features/rooms/api/get-room';

export function RoomNav({ roomId }: { roomId: string }) {
  const { t } = useTranslation();
  const room = useRoom(roomId);
  const base = `/rooms/${encodeURIComponent(roomId)}`;
  const links = [
    { to: base, label: t('nav.chat'), end: true },
    { to: `${base}/files`, label: t('nav.files'), end: false },
    { to: `${base}/members`, label: t('nav.members'), end: false },
    { to: `${base}/settings`, label: t('nav.settings'), end: false },
    // edits and deletions: OWNERs (administrators get OWNER) only, like the API
    ...(hasRole(room.data?.my_role, 'OWNER') ? [{ to: `${base}/audit`, label: t('ops.audit.crumb'), end: false }] : []),
  ];
  return (
    <nav className="room-nav" aria-label={t('nav.roomSections')}>
      <ul>
        {links.map((link) => (
          <li key={link.to}>
            <NavLink to={link.to} end={link.end}>
              {link.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
