import { Inbox } from '@/features/notifications/components/inbox';
import { NotificationSettingsLink } from '@/features/notifications/components/notification-settings-link';

/** /notifications: the user's inbox (and the way to the notification settings). */
export function NotificationsRoute() {
  return (
    <>
      <NotificationSettingsLink />
      <Inbox />
    </>
  );
}
