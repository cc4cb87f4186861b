import { useEffect, useRef } from 'react';
import { getSessionState, subscribeSession } from '@/lib/session';
import { registerServiceWorker, unsubscribeThisBrowser } from '@/features/notifications/utils/web-push';

/** The message public/sw.js sends a tab when a notification is clicked. */
export type OpenUrlMessage = { type: 'open-url'; url: string };

/** Only an in-app path (`/rooms/…`) is followed; anything else is ignored. */
export function inAppPath(message: unknown): string | null {
  if (!message || typeof message !== 'object') return null;
  const { type, url } = message as Partial<OpenUrlMessage>;
  if (type !== 'open-url' || typeof url !== 'string') return null;
  return url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/\\') ? url : null;
}

/**
 * The app's service worker, for as long as the app runs (mount once, above the routes):
 * - registers public/sw.js (no permission prompt: that waits for the user's click);
 * - follows `open-url` messages from it (a clicked notification) with `navigate`, so the room
 *   opens in this tab without a reload;
 * - on logout, ends this browser's push subscription, so the next user of a shared PC does not
 *   get the previous user's alerts (the server drops it at its next push, which answers 410).
 */
export function useServiceWorker(navigate: (path: string) => void): void {
  const navigateRef = useRef(navigate);
  useEffect(() => {
    navigateRef.current = navigate;
  });

  useEffect(() => {
    if (!('serviceWorker' in navigator)) return undefined;
    void registerServiceWorker();
    const onMessage = (event: MessageEvent) => {
      const path = inAppPath(event.data);
      if (path) navigateRef.current(path);
    };
    const container = navigator.serviceWorker;
    container.addEventListener('message', onMessage);
    return () => container.removeEventListener('message', onMessage);
  }, []);

  useEffect(() => {
    let wasSignedIn = getSessionState().status === 'authenticated';
    return subscribeSession(() => {
      const { status, endReason } = getSessionState();
      if (wasSignedIn && status === 'anonymous' && endReason === 'logout') {
        void unsubscribeThisBrowser().catch(() => undefined);
      }
      wasSignedIn = status === 'authenticated';
    });
  }, []);
}
