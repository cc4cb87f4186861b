import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useUnreadCount } from '@/features/notifications/api/get-unread-count';

export const BELL_MAX = 99;

/** The app bar's bell: the unread count in its name and as a badge; opens the inbox. */
export function NotificationBell() {
  const { t } = useTranslation();
  const count = useUnreadCount().data ?? 0;
  const label = count > 0 ? t('inbox.bellUnread', { count }) : t('inbox.bell');
  return (
    <Link to="/notifications" className="button button-secondary header-bell" aria-label={label} title={label}>
      <svg className="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
        <path
          d="M6 16V11a6 6 0 1 1 12 0v5l2 2H4l2-2zM10 20a2 2 0 0 0 4 0"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </svg>
      {count > 0 ? (
        <span className="bell-count" aria-hidden="true" data-testid="bell-count">
          {count > BELL_MAX ? `${BELL_MAX}+` : count}
        </span>
      ) : null}
    </Link>
  );
}
