import { useEffect, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { Loading } from '@/components/loading';
import { restoreSession } from '@/lib/api-client';
import { useSession } from '@/lib/session';
import { loginPathFor } from '@/features/auth/hooks/use-return-to';

/**
 * Renders its children only with a session. After a reload it first trades the stored
 * refresh token for an access token; without a session it redirects to
 * /login?returnTo=<where the user was> (but plain /login after an explicit logout).
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();

  useEffect(() => {
    if (session.status === 'restoring') void restoreSession();
  }, [session.status]);

  if (session.status === 'restoring') return <Loading />;
  if (session.status === 'anonymous') {
    const to = session.endReason === 'logout' ? '/login' : loginPathFor(location);
    return <Navigate to={to} replace />;
  }
  return <>{children}</>;
}
