import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export function NotFoundRoute() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <h1>{t('notFound.heading')}</h1>
      <p>
        <Link to="/rooms">{t('notFound.back')}</Link>
      </p>
    </div>
  );
}

export function RouteErrorBoundary() {
  const { t } = useTranslation();
  return (
    <main id="main" className="page">
      <h1>{t('errors.generic')}</h1>
      <p>
        <a href="/rooms">{t('notFound.back')}</a>
      </p>
    </main>
  );
}
