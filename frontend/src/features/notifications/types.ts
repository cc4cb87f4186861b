import type { NotificationPayload } from '@/lib/socket/frames';

/** An inbox entry (GET /api/notifications, the `notification` frame). */
export type AppNotification = NotificationPayload;

export type NotificationsPage = {
  notifications: AppNotification[];
  next_cursor: string | null;
  unread_count: number;
};
