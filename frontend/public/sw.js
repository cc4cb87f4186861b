/*
 * The SPA's service worker (scope "/"), hand-written and served as it is (no build step, no
 * caching of the app: it exists for Web Push and installability).
 *
 * - push: the server's payload {title, body, url: "/rooms/<id>", tag: <notification_id>, kind,
 *   room_id} becomes a notification. The tag makes a repeated delivery replace the first one
 *   instead of showing it twice; escalations stay until the user acts (requireInteraction).
 * - notificationclick: focuses a tab of the app and asks it to open the room (the SPA navigates
 *   without a reload: `open-url` message, see features/notifications/hooks/use-service-worker.ts),
 *   or opens a new window at the room when no tab is open.
 *
 * Test hook: browser automation can deliver a push to a service worker (CDP
 * ServiceWorker.deliverPushMessage) but cannot click a notification. A page of this origin may
 * post {type: "test:notificationclick", tag} to run the very function a real click runs on the
 * shown notification with that tag (frontend/e2e/push.mjs does). It lets a page do nothing it
 * could not do itself: navigate its own origin's tabs to a path of this origin.
 *
 * Unit tests: src/features/notifications/__tests__/service-worker.test.ts runs this file against
 * a fake `self`.
 */
/* global self, URL */

const APP_TITLE = '生產線異常即時反應系統';
const ICON = '/icons/icon-192.png';
const BADGE = '/icons/badge-96.png';
const FALLBACK_PATH = '/notifications';

self.addEventListener('install', (event) => {
  event.waitUntil(self.skipWaiting());
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

/** A path of this origin (`/rooms/…`), never another site: anything else opens the inbox. */
function safePath(url) {
  if (typeof url !== 'string' || !url.startsWith('/') || url.startsWith('//')) return FALLBACK_PATH;
  try {
    const parsed = new URL(url, self.location.origin);
    if (parsed.origin !== self.location.origin) return FALLBACK_PATH;
    return `${parsed.pathname}${parsed.search}${parsed.hash}`;
  } catch {
    return FALLBACK_PATH;
  }
}

function text(value, fallback, max) {
  return typeof value === 'string' && value.trim() ? value.slice(0, max) : fallback;
}

/** The push payload → the arguments of `showNotification(title, options)`. */
function notificationFromPayload(payload) {
  const data = payload && typeof payload === 'object' ? payload : {};
  const kind = text(data.kind, 'other', 64);
  const options = {
    body: text(data.body, '', 1000),
    icon: ICON,
    badge: BADGE,
    lang: 'zh-TW',
    requireInteraction: kind === 'escalation',
    data: { url: safePath(data.url), kind, room_id: text(data.room_id, null, 200) },
  };
  const tag = text(data.tag, '', 200);
  if (tag) options.tag = tag;
  return { title: text(data.title, APP_TITLE, 200), options };
}

function readPayload(event) {
  if (!event.data) return {};
  try {
    return event.data.json();
  } catch {
    try {
      return { body: event.data.text() };
    } catch {
      return {};
    }
  }
}

/** Shows the push as a notification (every push must show one: `userVisibleOnly`). */
function showPush(payload) {
  const { title, options } = notificationFromPayload(payload);
  return self.registration.showNotification(title, options);
}

self.addEventListener('push', (event) => {
  event.waitUntil(showPush(readPayload(event)));
});

/** What a click on a notification does: the app's tab opens its url, or a new window does. */
async function openFromNotification(notification) {
  notification.close();
  const path = safePath(notification.data && notification.data.url);
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const ours = windows.filter((client) => {
    try {
      return new URL(client.url).origin === self.location.origin;
    } catch {
      return false;
    }
  });
  const client =
    ours.find((c) => c.focused) || ours.find((c) => c.visibilityState === 'visible') || ours[0];
  if (!client) return self.clients.openWindow(path);
  client.postMessage({ type: 'open-url', url: path });
  try {
    return await client.focus();
  } catch {
    return client; // focusing needs a user's click (a real notificationclick has one)
  }
}

self.addEventListener('notificationclick', (event) => {
  event.waitUntil(openFromNotification(event.notification));
});

// The test hook described at the top of this file.
self.addEventListener('message', (event) => {
  const message = event.data;
  if (!message || message.type !== 'test:notificationclick' || typeof message.tag !== 'string') return;
  event.waitUntil(
    self.registration.getNotifications({ tag: message.tag }).then((shown) => {
      if (shown[0]) return openFromNotification(shown[0]);
      return undefined;
    }),
  );
});
