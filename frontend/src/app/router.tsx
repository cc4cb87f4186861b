import { Trans } from 'react-i18next';
import { createBrowserRouter, Navigate, type RouteObject, type UIMatch } from 'react-router';
import type { CrumbHandle } from '@/components/breadcrumbs';
import { RequireAuth } from '@/features/auth/components/require-auth';
import { RoomBreadcrumb } from '@/features/rooms/components/room-breadcrumb';
import { AppLayout } from '@/app/layouts/app-layout';
import { LoginRoute } from '@/app/routes/login';
import { NotFoundRoute, RouteErrorBoundary } from '@/app/routes/not-found';
import {
  RoomChatRoute,
  RoomFilesRoute,
  RoomLayoutRoute,
  RoomMembersRoute,
  RoomSettingsRoute,
} from '@/app/routes/room';
import { RoomsRoute } from '@/app/routes/rooms';
import { RoomAuditRoute } from '@/app/routes/room-audit';
import { SearchRoute } from '@/app/routes/search';
import { NotificationsRoute } from '@/app/routes/notifications';
import { BoardRoute } from '@/app/routes/board';
import { AdminLayoutRoute, AdminPoliciesRoute, AdminRostersRoute } from '@/app/routes/admin';

function crumb(i18nKey: string): CrumbHandle {
  return { crumb: () => <Trans i18nKey={i18nKey} /> };
}

const roomCrumb: CrumbHandle = {
  crumb: (match: UIMatch) => <RoomBreadcrumb roomId={match.params.roomId ?? ''} />,
};

export const routes: RouteObject[] = [
  {
    path: '/',
    errorElement: <RouteErrorBoundary />,
    children: [
      { index: true, element: <Navigate to="/rooms" replace /> },
      { path: 'login', element: <LoginRoute /> },
      {
        // full screen, without the app bar: a TV at the line
        path: 'board',
        element: (
          <RequireAuth>
            <BoardRoute />
          </RequireAuth>
        ),
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
              {
                path: ':roomId',
                handle: roomCrumb,
                element: <RoomLayoutRoute />,
                children: [
                  { index: true, element: <RoomChatRoute /> },
                  { path: 'files', handle: crumb('nav.files'), element: <RoomFilesRoute /> },
                  { path: 'members', handle: crumb('nav.members'), element: <RoomMembersRoute /> },
                  { path: 'settings', handle: crumb('nav.settings'), element: <RoomSettingsRoute /> },
                  { path: 'audit', handle: crumb('ops.audit.crumb'), element: <RoomAuditRoute /> },
                ],
              },
            ],
          },
          { path: 'search', handle: crumb('search.crumb'), element: <SearchRoute /> },
          { path: 'notifications', handle: crumb('inbox.heading'), element: <NotificationsRoute /> },
          {
            path: 'admin',
            handle: crumb('admin.heading'),
            element: <AdminLayoutRoute />,
            children: [
              { index: true, element: <Navigate to="/admin/policies" replace /> },
              { path: 'policies', handle: crumb('admin.policy.heading'), element: <AdminPoliciesRoute /> },
              { path: 'rosters', handle: crumb('admin.roster.heading'), element: <AdminRostersRoute /> },
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
