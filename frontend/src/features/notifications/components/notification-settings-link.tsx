import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import '@/features/notifications/components/notifications.css';

export const NOTIFICATION_SETTINGS_PATH = '/settings/notifications';

/** The inbox's way to the notification settings (e-mail, push). */
export function NotificationSettingsLink() {
  const { t } = useTranslation();
  return (
    <nav className="notification-settings-link" aria-label={t('notificationSettings.heading')}>
      <Link to={NOTIFICATION_SETTINGS_PATH}>{t('notificationSettings.link')}</Link>
    </nav>
  );
}
