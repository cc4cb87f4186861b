import { useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { announce } from '@/components/live-regions';
import { useOnReconnect, useRealtimeFrames } from '@/lib/socket/hooks';
import { notificationsQueryKeys } from '@/features/notifications/api/get-notifications';
import { addToCache } from '@/features/notifications/utils/inbox-cache';

const SEEN_LIMIT = 200;

/**
 * The inbox over the WebSocket: each `notification` frame raises the bell's count (once per
 * id, should a frame come twice) and refreshes the inbox; after a reconnect everything is
 * refetched, since frames sent while away are lost (the server's inbox has them). Each new
 * entry is announced to screen readers (escalations assertively).
 */
export function useNotificationsLive(): void {
  const queryClient = useQueryClient();
  const { t } = useTranslation();
  const seen = useRef(new Set<string>());
  useRealtimeFrames('notification', (frame) => {
    const notification = frame.notification;
    if (!notification?.notification_id || seen.current.has(notification.notification_id)) return;
    seen.current.add(notification.notification_id);
    if (seen.current.size > SEEN_LIMIT) seen.current.delete(seen.current.values().next().value!);
    addToCache(queryClient, notification);
    // screen readers: escalations interrupt, everything else waits its turn; the kind only
    // (the inbox has the room and text; no second copy of them on the page)
    const escalation = notification.kind === 'escalation';
    const kind = t(`inbox.kind.${notification.kind}`, { defaultValue: t('inbox.kind.other') });
    announce(t(escalation ? 'live.escalation' : 'live.notification', { kind }), escalation ? 'assertive' : 'polite');
  });
  useOnReconnect(() => {
    void queryClient.invalidateQueries({ queryKey: notificationsQueryKeys.all });
  });
}
