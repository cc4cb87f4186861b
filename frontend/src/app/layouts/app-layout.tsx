import { Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, matchPath, Outlet, useLocation } from 'react-router';
import { Breadcrumbs } from '@/components/breadcrumbs';
import { ConnectionStatus } from '@/components/connection-status';
import { LanguageSwitch } from '@/components/language-switch';
import { LiveRegions } from '@/components/live-regions';
import { ThemeSwitch } from '@/components/theme-switch';
import { useSession } from '@/lib/session';
import { useRealtimeConnection } from '@/lib/socket/hooks';
import { useLogout } from '@/features/auth/api/logout';
import { useRoomsLive } from '@/features/rooms/hooks/use-rooms-live';
import { useFilesLive } from '@/features/files/hooks/use-files-live';
import { MentionNotifications } from '@/features/chat/components/mention-notifications';
import { NotificationBell } from '@/features/notifications/components/notification-bell';
import { useNotificationsLive } from '@/features/notifications/hooks/use-notifications-live';
import { loadRoom, PushPrompt, whenIdle } from '@/app/route-chunks';
import { HeaderMenu } from '@/app/layouts/header-menu';

/**
 * Header (app name or, in a room, back to the list; connection state; bell; the menu with
 * search, board, reports, admin, user, language, theme, logout), breadcrumbs, page. On a phone
 * the bar is one row and the menu opens under a ☰ button; on the chat page the shell is as tall
 * as the visible area (app-bar.css).
 */
export function AppLayout() {
  const { t } = useTranslation();
  const { user } = useSession();
  const logout = useLogout();
  // One WebSocket per tab while signed in; room data follows its system frames.
  useRealtimeConnection();
  useRoomsLive();
  useFilesLive();
  useNotificationsLive();
  // the room (chat) is a separate chunk: fetch it while the user reads the list
  useEffect(() => whenIdle(() => void loadRoom().catch(() => undefined)), []);
  const location = useLocation();
  const roomMatch = matchPath('/rooms/:roomId/*', location.pathname);
  const currentRoomId = roomMatch?.params.roomId;
  const inRoom = Boolean(currentRoomId) && currentRoomId !== 'new';
  // the chat itself: on a phone it fills the visible area (app-bar.css)
  const chatPage = inRoom && matchPath('/rooms/:roomId', location.pathname) !== null;
  return (
    <div className="app-shell" data-layout={chatPage ? 'chat' : undefined}>
      <a href="#main" className="skip-link">
        {t('app.skipToContent')}
      </a>
      <header className="app-header">
        <Link to="/rooms" className="brand" data-back={inRoom ? 'true' : undefined}>
          <span className="brand-full">{t('app.title')}</span>
          <span className="brand-short">{t('app.shortTitle')}</span>
          {inRoom ? (
            <span className="brand-back">
              <svg className="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"><path d="M15 5l-7 7 7 7" fill="none" stroke="currentColor" strokeWidth="2.4" strokeLinecap="round" strokeLinejoin="round" /></svg>
              {t('header.backToList')}
            </span>
          ) : null}
        </Link>
        <div className="header-actions">
          <ConnectionStatus />
          <NotificationBell />
          <MentionNotifications currentRoomId={currentRoomId} />
          {/* on a phone these sit in the ☰ menu, so the bar keeps to one row */}
          <HeaderMenu>
            <Link to="/search" className="button button-secondary header-search" aria-label={t('search.link')} title={t('search.link')}>
              <svg className="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"><path d="M11 18a7 7 0 1 1 0-14 7 7 0 0 1 0 14zM21 21l-5-5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" /></svg>
              <span className="header-search-label">{t('search.link')}</span>
            </Link>
            <Link to="/board" className="button button-secondary header-link" aria-label={t('board.link')} title={t('board.link')}>
              <svg className="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"><path d="M3 5h18v12H3zM8 21h8M12 17v4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" /></svg>
              <span className="header-link-label">{t('board.link')}</span>
            </Link>
            {user?.is_admin || user?.can_read_reports ? (
              <Link to="/reports" className="button button-secondary header-link" aria-label={t('reports.link')} title={t('reports.link')}>
                <svg className="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"><path d="M4 20V10M10 20V4M16 20v-7M22 20H2" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" /></svg>
                <span className="header-link-label">{t('reports.link')}</span>
              </Link>
            ) : null}
            {user?.is_admin ? (
              <Link to="/admin" className="button button-secondary header-link" aria-label={t('admin.link')} title={t('admin.link')}>
                <svg className="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"><path d="M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19 12l2-1-1-3-2 .5-1.5-1.5.5-2-3-1-1 2h-2l-1-2-3 1 .5 2L6 8.5 4 8l-1 3 2 1v0l-2 1 1 3 2-.5 1.5 1.5-.5 2 3 1 1-2h2l1 2 3-1-.5-2 1.5-1.5 2 .5 1-3z" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" /></svg>
                <span className="header-link-label">{t('admin.link')}</span>
              </Link>
            ) : null}
            {user ? (
              <span className="user-name" title={user.user_id}>
                <span className="visually-hidden">{t('header.signedInAs', { name: user.display_name })}</span>
                <span aria-hidden="true">{user.display_name}</span>
              </span>
            ) : null}
            <LanguageSwitch />
            <ThemeSwitch />
            <button
              type="button"
              className="button button-secondary"
              onClick={() => logout.mutate()}
              disabled={logout.isPending}
            >
              {logout.isPending ? t('header.loggingOut') : t('header.logout')}
            </button>
          </HeaderMenu>
        </div>
      </header>
      <Breadcrumbs />
      <Suspense fallback={null}>
        <PushPrompt />
      </Suspense>
      <LiveRegions />
      <main id="main" className="app-main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
