// End-to-end: the installable PWA and Web Push in chromium, without a push service.
//
//   BASE_URL=http://127.0.0.1:8123 node --test e2e/push.mjs   (npm run e2e runs every e2e file)
//
// The manifest is valid (chromium's own parser: Page.getAppManifest) and its icons load; the
// service worker (public/sw.js) registers for the whole app. A push is delivered straight to
// the worker over CDP (ServiceWorker.deliverPushMessage: no FCM, no subscription needed) with the
// server's payload shape; it shows a notification (registration.getNotifications()). CDP cannot
// click a notification, so the step posts the worker's documented test message
// {type: "test:notificationclick", tag}, which runs the same function as a real click: the open
// tab is asked to open the room, which it does without a reload.
// Notification settings: the page answers and shows escalations as always on.
import assert from 'node:assert/strict';
import { BASE_URL, createRoomWithEditor, EDITOR, login, makeStamp, pathOf, scenario, waitConnected } from './support.mjs';

const TITLE = `E2E 推播 回焊爐溫度異常 ${makeStamp()}`;
const TAG = `e2e-${makeStamp()}`;

const { step, newPage, noPageErrors, contexts } = scenario({ prefix: 'push' });

/** @type {import('playwright-core').Page} */
let page;
/** @type {import('playwright-core').CDPSession} */
let cdp;
const registrations = new Map(); // registrationId → scopeURL (live ones)
let roomId = '';

/** Polls `check` (after `read`, if given) every 100 ms for up to 10 s: CDP events and the worker run on their own schedule. */
async function until(check, what, read = async () => undefined) {
  for (let i = 0; i < 100; i += 1) {
    await read();
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

step('a signed-in page with notifications allowed and the DevTools service-worker domain on', async () => {
  ({ roomId } = await createRoomWithEditor({ title: TITLE, location: 'SMT 2 線 回焊爐' }));
  page = await newPage('user');
  await contexts.user.grantPermissions(['notifications'], { origin: BASE_URL });
  cdp = await contexts.user.newCDPSession(page);
  cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations: list }) => {
    for (const r of list) {
      if (r.isDeleted) registrations.delete(r.registrationId);
      else registrations.set(r.registrationId, r.scopeURL);
    }
  });
  await cdp.send('ServiceWorker.enable');
  await login(page, EDITOR); // a member of the room
  await waitConnected(page);
});

step('the manifest is linked, valid and installable-shaped; its icons load', async () => {
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  assert.equal(href, '/manifest.webmanifest');
  const { errors, url } = await cdp.send('Page.getAppManifest');
  assert.equal(url, `${BASE_URL}/manifest.webmanifest`);
  assert.deepEqual(errors, [], 'chromium found errors in the manifest');

  const fetched = await page.evaluate(async () => {
    const response = await fetch('/manifest.webmanifest');
    return { type: response.headers.get('content-type'), manifest: await response.json() };
  });
  assert.match(fetched.type ?? '', /^application\/manifest\+json/);
  const { manifest } = fetched;
  assert.equal(manifest.name, '生產線異常即時反應系統');
  assert.ok(manifest.short_name && manifest.short_name.length <= 12, 'short_name fits under an icon');
  assert.equal(manifest.start_url, '/rooms');
  assert.equal(manifest.scope, '/');
  assert.equal(manifest.display, 'standalone');
  assert.equal(manifest.lang, 'zh-TW');
  const png = manifest.icons.filter((icon) => icon.type === 'image/png');
  for (const [size, purpose] of [
    ['192x192', 'any'],
    ['512x512', 'any'],
    ['192x192', 'maskable'],
    ['512x512', 'maskable'],
  ]) {
    assert.ok(png.some((icon) => icon.sizes === size && icon.purpose === purpose), `a ${size} ${purpose} PNG icon`);
  }
  // every icon really is an image of the size it claims
  const loaded = await page.evaluate(async (icons) => {
    const out = [];
    for (const icon of icons) {
      const response = await fetch(icon.src);
      const bitmap = await createImageBitmap(await response.blob());
      out.push({ src: icon.src, status: response.status, size: `${bitmap.width}x${bitmap.height}`, claimed: icon.sizes });
    }
    return out;
  }, png);
  for (const icon of loaded) {
    assert.equal(icon.status, 200, icon.src);
    assert.equal(icon.size, icon.claimed, icon.src);
  }
  const appleIcon = await page.locator('link[rel="apple-touch-icon"]').getAttribute('href');
  assert.equal(await page.evaluate(async (src) => (await fetch(src)).status, appleIcon), 200);
});

step('the service worker registers for the whole app and controls the page', async () => {
  const worker = await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return { scope: registration.scope, script: registration.active?.scriptURL, state: registration.active?.state };
  });
  assert.equal(worker.scope, `${BASE_URL}/`);
  assert.equal(worker.script, `${BASE_URL}/sw.js`);
  assert.equal(worker.state, 'activated');
  // clients.claim(): this first page is controlled without a reload
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  const response = await page.request.get(`${BASE_URL}/sw.js`);
  assert.equal(response.headers()['cache-control'], 'no-cache');
  assert.match(response.headers()['content-type'] ?? '', /^text\/javascript/);
  await until(() => [...registrations.values()].includes(`${BASE_URL}/`), 'DevTools to report the registration');
});

step('a push delivered to the worker shows the notification (title, body, room url, tag)', async () => {
  const registrationId = [...registrations].find(([, scope]) => scope === `${BASE_URL}/`)?.[0];
  assert.ok(registrationId !== undefined);
  const payload = {
    title: `升級通報：${TITLE}`,
    body: '已 10 分鐘無人接手，請協助處理。',
    url: `/rooms/${roomId}`,
    tag: TAG,
    kind: 'escalation',
    room_id: roomId,
  };
  await cdp.send('ServiceWorker.deliverPushMessage', { origin: BASE_URL, registrationId, data: JSON.stringify(payload) });
  let notification = null;
  await until(() => notification !== null, 'the notification', async () => {
    notification = await page.evaluate(async (tag) => {
      const registration = await navigator.serviceWorker.ready;
      const [n] = await registration.getNotifications({ tag });
      return n ? { title: n.title, body: n.body, tag: n.tag, data: n.data, icon: n.icon, lang: n.lang, requireInteraction: n.requireInteraction } : null;
    }, TAG);
  });
  assert.equal(notification.title, payload.title);
  assert.equal(notification.body, payload.body);
  assert.equal(notification.tag, TAG);
  assert.equal(notification.data.url, `/rooms/${roomId}`);
  assert.equal(notification.lang, 'zh-TW');
  assert.equal(notification.requireInteraction, true);
  assert.equal(pathOf(notification.icon), '/icons/icon-192.png');
});

step('clicking the notification opens the room in the open tab, without a reload', async () => {
  assert.equal(pathOf(page.url()), '/rooms');
  await page.evaluate(() => {
    window.__e2eNoReload = true;
  });
  await page.evaluate(async (tag) => {
    const registration = await navigator.serviceWorker.ready;
    registration.active.postMessage({ type: 'test:notificationclick', tag });
  }, TAG);
  await page.waitForURL((url) => url.pathname === `/rooms/${roomId}`);
  await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  assert.equal(await page.evaluate(() => window.__e2eNoReload), true, 'the page reloaded');
  const left = await page.evaluate(async (tag) => (await (await navigator.serviceWorker.ready).getNotifications({ tag })).length, TAG);
  assert.equal(left, 0, 'the clicked notification is closed');
});

step('the notification settings page shows escalations as always on', async () => {
  await page.goto(`${BASE_URL}/notifications`);
  await page.getByRole('link', { name: '通知設定（Email、推播）' }).click();
  await page.getByRole('heading', { level: 1, name: '通知設定' }).waitFor();
  const escalation = page.getByRole('checkbox', { name: '升級通報' });
  await escalation.waitFor();
  assert.equal(await escalation.isChecked(), true);
  assert.equal(await escalation.isDisabled(), true);
  // notifications are allowed in this context: the page offers push on this device or says the server has no key
  await page
    .getByRole('button', { name: '在這台裝置開啟推播' })
    .or(page.getByText('伺服器尚未設定推播通知', { exact: false }))
    .or(page.getByRole('button', { name: '關閉這台裝置的推播' }))
    .first()
    .waitFor();
});

noPageErrors('no uncaught errors or CSP violations in the page');
