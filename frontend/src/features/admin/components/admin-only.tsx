import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '@/lib/session';

/** Its children for administrators; a plain explanation for everyone else (the API says 403 anyway). */
export function AdminOnly({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { user } = useSession();
  if (!user?.is_admin) {
    return (
      <div className="alert alert-info" role="alert">
        <p>{t('admin.forbidden')}</p>
      </div>
    );
  }
  return <>{children}</>;
}
