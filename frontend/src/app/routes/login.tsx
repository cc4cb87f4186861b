import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate } from 'react-router';
import { LanguageSwitch } from '@/components/language-switch';
import { Loading } from '@/components/loading';
import { ThemeSwitch } from '@/components/theme-switch';
import { useSession } from '@/lib/session';
import { LoginForm } from '@/features/auth/components/login-form';
import { useReturnTo } from '@/features/auth/hooks/use-return-to';

export function LoginRoute() {
  const { t } = useTranslation();
  const session = useSession();
  const returnTo = useReturnTo();
  const navigate = useNavigate();

  if (session.status === 'authenticated') return <Navigate to={returnTo} replace />;

  return (
    <div className="login-page">
      <div className="login-topbar">
        <LanguageSwitch />
        <ThemeSwitch />
      </div>
      <main id="main" className="login-card">
        <p className="login-app-title">{t('app.title')}</p>
        <h1>{t('login.heading')}</h1>
        {session.status === 'restoring' ? (
          <Loading />
        ) : (
          <>
            {session.endReason === 'expired' ? (
              <p className="alert alert-info" role="status">
                {t('login.sessionExpired')}
              </p>
            ) : null}
            <p className="login-intro">{t('login.intro')}</p>
            <LoginForm onSuccess={() => void navigate(returnTo, { replace: true })} />
          </>
        )}
      </main>
    </div>
  );
}
