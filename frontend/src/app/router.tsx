import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Navigate, Outlet, type RouteObject, type UIMatch } from 'react-router';
import type { CrumbHandle } from '@/components/breadcrumbs';
import { Loading } from '@/components/loading';
import { RequireAuth } from '@/features/auth/components/require-auth';
import { RoomBreadcrumb } from '@/features/rooms/components/room-breadcrumb';
import { AppLayout } from '@/app/layouts/app-layout';
import { LoginRoute } from '@/app/routes/login';
import { NotFoundRoute, RouteErrorBoundary } from '@/app/routes/not-found';
import { RoomsRoute } from '@/app/routes/rooms';
import { NewRoomRoute } from '@/app/routes/new-room';
import { NotificationsRoute } from '@/app/routes/notifications';
import { loadRoom } from '@/app/route-chunks';

/*
 * Route-level code splitting: the board, the admin pages, search, the audit log, the files page
 * and the room itself (chat with its virtualised list, members, settings) are separate chunks
 * fetched when first visited (React Router's route `lazy`: the navigation waits for the chunk,
 * so no Suspense fallback flashes), so login and the room list load less JavaScript. Each
 * `import()` names one module; the admin pages share theirs, and so do the room's sections.
 * The signed-in layout prefetches the room chunk when the browser is idle (app-layout.tsx).
 */
const loadAdmin = () => import('@/app/routes/admin');
const lazyRoomLayout = async () => ({ Component: (await loadRoom()).RoomLayoutRoute });
const lazyRoomChat = async () => ({ Component: (await loadRoom()).RoomChatRoute });
const lazyRoomMembers = async () => ({ Component: (await loadRoom()).RoomMembersRoute });
const lazyRoomSettings = async () => ({ Component: (await loadRoom()).RoomSettingsRoute });
const lazyReports = async () => ({ Component: (await import('@/app/routes/reports')).ReportsRoute });
const lazyBoard = async () => ({ Component: (await import('@/app/routes/board')).BoardRoute });
const lazySearch = async () => ({ Component: (await import('@/app/routes/search')).SearchRoute });
const lazyAudit = async () => ({ Component: (await import('@/app/routes/room-audit')).RoomAuditRoute });
const lazyFiles = async () => ({ Component: (await import('@/app/routes/room-files')).RoomFilesRoute });
const lazyAdminLayout = async () => ({ Component: (await loadAdmin()).AdminLayoutRoute });
const lazyAdminPolicies = async () => ({ Component: (await loadAdmin()).AdminPoliciesRoute });
const lazyAdminRosters = async () => ({ Component: (await loadAdmin()).AdminRostersRoute });
const lazyAdminEventCodes = async () => ({ Component: (await loadAdmin()).AdminEventCodesRoute });
const lazyAdminPlant = async () => ({ Component: (await loadAdmin()).AdminPlantRoute });
const lazyAdminIntegrationKeys = async () => ({ Component: (await loadAdmin()).AdminIntegrationKeysRoute });
const lazyAdminWebhooks = async () => ({ Component: (await loadAdmin()).AdminWebhooksRoute });
const lazyAdminQrSheet = async () => ({ Component: (await loadAdmin()).AdminQrSheetRoute });
const lazyNotificationSettings = async () => ({
  Component: (await import('@/features/notifications/components/notification-settings')).NotificationSettingsPage,
});

/** A translated crumb (not `<Trans>`: that would bring its HTML parser into the first chunk). */
function Crumb({ i18nKey }: { i18nKey: string }) {
  const { t } = useTranslation();
  return <>{t(i18nKey)}</>;
}

function crumb(i18nKey: string): CrumbHandle {
  return { crumb: () => <Crumb i18nKey={i18nKey} /> };
}

const roomCrumb: CrumbHandle = {
  crumb: (match: UIMatch) => <RoomBreadcrumb roomId={match.params.roomId ?? ''} />,
};

export const routes: RouteObject[] = [
  {
    path: '/',
    errorElement: <RouteErrorBoundary />,
    // shown while the first route's lazy chunk loads (opening /board or /admin directly)
    hydrateFallbackElement: <Loading />,
    children: [
      { index: true, element: <Navigate to="/rooms" replace /> },
      { path: 'login', element: <LoginRoute /> },
      {
        // full screen, without the app bar: a TV at the line
        path: 'board',
        element: (
          <RequireAuth>
            <Outlet />
          </RequireAuth>
        ),
        children: [{ index: true, lazy: lazyBoard }],
      },
      {
        element: (
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        ),
        children: [
          {
            path: 'rooms',
            handle: crumb('nav.rooms'),
            children: [
              { index: true, element: <RoomsRoute /> },
              { path: 'new', element: <NewRoomRoute /> },
              {
                path: ':roomId',
                handle: roomCrumb,
                lazy: lazyRoomLayout,
                children: [
                  { index: true, lazy: lazyRoomChat },
                  { path: 'files', handle: crumb('nav.files'), lazy: lazyFiles },
                  { path: 'members', handle: crumb('nav.members'), lazy: lazyRoomMembers },
                  { path: 'settings', handle: crumb('nav.settings'), lazy: lazyRoomSettings },
                  { path: 'audit', handle: crumb('ops.audit.crumb'), lazy: lazyAudit },
                ],
              },
            ],
          },
          { path: 'search', handle: crumb('search.crumb'), lazy: lazySearch },
          { path: 'reports', handle: crumb('reports.heading'), lazy: lazyReports },
          { path: 'notifications', handle: crumb('inbox.heading'), element: <NotificationsRoute /> },
          { path: 'settings/notifications', handle: crumb('notificationSettings.heading'), lazy: lazyNotificationSettings },
          {
            path: 'admin',
            handle: crumb('admin.heading'),
            lazy: lazyAdminLayout,
            children: [
              { index: true, element: <Navigate to="/admin/policies" replace /> },
              { path: 'policies', handle: crumb('admin.policy.heading'), lazy: lazyAdminPolicies },
              { path: 'rosters', handle: crumb('admin.roster.heading'), lazy: lazyAdminRosters },
              { path: 'plant', handle: crumb('admin.plant.heading'), lazy: lazyAdminPlant },
              { path: 'event-codes', handle: crumb('admin.eventCodes.heading'), lazy: lazyAdminEventCodes },
              {
                path: 'integration-keys',
                handle: crumb('admin.integrationKeys.heading'),
                lazy: lazyAdminIntegrationKeys,
              },
              { path: 'webhooks', handle: crumb('admin.webhooks.heading'), lazy: lazyAdminWebhooks },
              { path: 'qr-codes', handle: crumb('exports.qr.heading'), lazy: lazyAdminQrSheet },
            ],
          },
          { path: '*', element: <NotFoundRoute /> },
        ],
      },
    ],
  },
];

export function createAppRouter() {
  return createBrowserRouter(routes);
}
