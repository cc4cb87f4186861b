import { Inbox } from '@/features/notifications/components/inbox';

/** /notifications: the user's inbox. */
export function NotificationsRoute() {
  return <Inbox />;
}
