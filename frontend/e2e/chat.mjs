// End-to-end: live chat between two users (two browser contexts) against the local stack,
// including an offline period with a queued message that must arrive exactly once.
//
//   BASE_URL=http://127.0.0.1:8123 node --test e2e/chat.mjs      (npm run e2e runs every e2e file)
//
// wang.owner creates a room over the REST API and adds chen.editor as EDITOR; both open the
// room's chat; they exchange messages; chen goes offline, writes a message (shown as queued)
// while wang writes one; chen comes back online → the queued message is delivered once and both
// sides show the same ordered messages (compared by data-seq and text). Env as in rooms.mjs.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8000').replace(/\/+$/, '');
const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const PASSWORD = process.env.E2E_PASSWORD || 'Passw0rd!';
const OWNER = process.env.OWNER_USER || 'wang.owner';
const EDITOR = process.env.EDITOR_USER || 'chen.editor';
const KEEP_SCREENSHOTS = process.env.E2E_SCREENSHOTS === '1';
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
const STAMP = `${new Date().toISOString().slice(11, 19)}-${Math.floor(Math.random() * 1e4)}`;
const TITLE = `E2E 對話測試 ${STAMP}`;

let browser;
/** @type {Record<string, import('playwright-core').Page>} */
const pages = {};
/** @type {Record<string, import('playwright-core').BrowserContext>} */
const contexts = {};
const pageErrors = [];
/** Frames each page sent / received over its WebSocket(s), parsed. */
const sent = { owner: [], editor: [] };
const received = { owner: [], editor: [] };
let failed = false;
let roomId = '';
const users = {};

async function screenshots(name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const [who, page] of Object.entries(pages)) {
    const file = join(ARTIFACTS, `chat-${name}-${who}.png`);
    try {
      await page.screenshot({ path: file, fullPage: true });
      console.log(`# screenshot: ${file}`);
    } catch (error) {
      console.log(`# screenshot failed: ${error}`);
    }
  }
}

function slug(text) {
  return text.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
}

/** One sequential step: skipped after an earlier failure, screenshots on failure. */
function step(name, fn) {
  test(name, async (t) => {
    if (failed) {
      t.skip('an earlier step failed');
      return;
    }
    try {
      await fn();
      if (KEEP_SCREENSHOTS) await screenshots(`ok-${slug(name)}`);
    } catch (error) {
      failed = true;
      await screenshots(`failed-${slug(name)}`);
      throw error;
    }
  });
}

async function api(path, { token, method = 'GET', body } = {}) {
  const response = await fetch(`${BASE_URL}${path}`, {
    method,
    headers: {
      Accept: 'application/json',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function newPage(who) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-TW' });
  contexts[who] = context;
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(`${who}: ${error}`));
  page.on('websocket', (ws) => {
    const parse = (list) => ({ payload }) => {
      try {
        list.push(JSON.parse(String(payload)));
      } catch {
        // not JSON
      }
    };
    ws.on('framesent', parse(sent[who]));
    ws.on('framereceived', parse(received[who]));
  });
  pages[who] = page;
  return page;
}

async function login(page, username) {
  await page.goto(`${BASE_URL}/login`);
  await page.getByLabel('帳號', { exact: true }).fill(username);
  await page.getByLabel('密碼', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: '登入', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: '事件列表' }).waitFor();
}

/** The confirmed messages on screen, in order: [seq, text] (rows rendered by the virtual list). */
async function confirmedMessages(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-testid="chat-message"][data-seq]')].map((el) => [
      Number(el.getAttribute('data-seq')),
      el.querySelector('[data-testid="message-text"]')?.textContent ?? '',
    ]),
  );
}

async function composer(page) {
  return page.getByRole('textbox', { name: '訊息', exact: true });
}

async function say(page, text) {
  const box = await composer(page);
  await box.fill(text);
  await box.press('Enter');
}

function message(page, text) {
  return page.locator('[data-testid="chat-message"]').filter({ has: page.getByText(text, { exact: true }) });
}

before(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  for (const context of Object.values(contexts)) await context.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
});

step(`${OWNER} creates a room over the API and adds ${EDITOR} as EDITOR`, async () => {
  const owner = await api('/api/auth/login', { method: 'POST', body: { username: OWNER, password: PASSWORD } });
  // The editor must have logged in once to be addable.
  const editor = await api('/api/auth/login', { method: 'POST', body: { username: EDITOR, password: PASSWORD } });
  users.owner = owner.user;
  users.editor = editor.user;
  const room = await api('/api/rooms', {
    token: owner.access_token,
    method: 'POST',
    body: { title: TITLE, incident_type: 'equipment_failure', severity: 'high', location: 'A 廠 / Line 2' },
  });
  roomId = room.room_id;
  await api(`/api/rooms/${roomId}/members`, {
    token: owner.access_token,
    method: 'POST',
    body: { user_id: editor.user.user_id, role: 'EDITOR' },
  });
});

step('both users open the room chat with a live connection', async () => {
  for (const [who, username] of [
    ['owner', OWNER],
    ['editor', EDITOR],
  ]) {
    const page = await newPage(who);
    await login(page, username);
    await page.goto(`${BASE_URL}/rooms/${roomId}`);
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await page.getByRole('status').filter({ hasText: '已連線' }).waitFor();
    await (await composer(page)).waitFor();
    // history loaded and subscribed
    await page.waitForFunction(() => document.querySelector('.chat-list') !== null);
  }
  // the system event of adding the editor is shown inline on both sides
  for (const page of Object.values(pages)) {
    await page.getByText(`${users.editor.display_name} 已加入`).waitFor();
  }
  await pages.owner.waitForFunction(
    (id) => document.querySelector('.chat-online')?.textContent?.includes(id) ?? false,
    users.editor.display_name,
  );
});

step('they exchange messages live', async () => {
  const hello = `早安，Line 2 回焊爐溫度偏高 ${STAMP}`;
  await say(pages.owner, hello);
  await message(pages.editor, hello).waitFor({ timeout: 5_000 });
  await message(pages.owner, hello).and(pages.owner.locator('[data-seq]')).waitFor({ timeout: 5_000 });

  const reply = `收到，我過去看看 ${STAMP}`;
  await say(pages.editor, reply);
  await message(pages.owner, reply).waitFor({ timeout: 5_000 });
  const own = message(pages.editor, reply);
  await own.and(pages.editor.locator('[data-seq]')).waitFor({ timeout: 5_000 });
  assert.equal(await own.getAttribute('data-own'), 'true');
});

step(`${OWNER} sees ${EDITOR} typing`, async () => {
  const box = await composer(pages.editor);
  await box.pressSequentially('正在確認', { delay: 20 });
  await pages.owner.getByText(`${users.editor.display_name} 正在輸入…`).waitFor({ timeout: 5_000 });
  await box.fill('');
});

const queued = `離線時寫的訊息 ${STAMP}`;
const meanwhile = `王小明在 ${EDITOR} 離線時的訊息 ${STAMP}`;

step(`${EDITOR} goes offline and writes a message, which waits as queued`, async () => {
  const page = pages.editor;
  await contexts.editor.setOffline(true);
  await page.getByTestId('chat-connection-banner').filter({ hasText: '離線中，訊息將於連線後送出' }).waitFor();
  await say(page, queued);
  const pending = message(page, queued);
  await pending.waitFor();
  assert.equal(await pending.getAttribute('data-status'), 'queued');
  await page.getByText('等待連線後送出').waitFor();
});

step(`${OWNER} writes meanwhile; ${EDITOR} does not get it while offline`, async () => {
  await say(pages.owner, meanwhile);
  await message(pages.owner, meanwhile).and(pages.owner.locator('[data-seq]')).waitFor({ timeout: 5_000 });
  await pages.editor.waitForTimeout(500);
  assert.equal(await message(pages.editor, meanwhile).count(), 0);
  assert.equal(await message(pages.owner, queued).count(), 0);
});

step(`${EDITOR} comes back online: the queued message goes out once and the missed one arrives`, async () => {
  const page = pages.editor;
  await contexts.editor.setOffline(false);
  await page.getByRole('status').filter({ hasText: '已連線' }).waitFor({ timeout: 20_000 });
  await message(page, meanwhile).waitFor({ timeout: 10_000 });
  await message(page, queued).and(page.locator('[data-seq]')).waitFor({ timeout: 10_000 });
  await message(pages.owner, queued).waitFor({ timeout: 10_000 });
  assert.equal(await page.getByTestId('chat-connection-banner').count(), 0);
  // Sent on the wire once after the reconnect.
  const sends = sent.editor.filter((f) => f.type === 'message' && f.content === queued);
  assert.equal(sends.length, 1, `the queued message was sent ${sends.length} times`);
  // The re-subscribe carried the resume point.
  const subscribes = sent.editor.filter((f) => f.type === 'subscribe' && f.room_id === roomId);
  assert.ok(subscribes.length >= 2, 'no re-subscribe after the reconnect');
  const resume = subscribes.at(-1);
  assert.equal(typeof resume.last_seq, 'number');
  assert.match(String(resume.changed_since), /^\d{4}-\d\d-\d\dT/);
});

step('both sides show the same messages in the same order, nothing twice', async () => {
  // settle: wait until the two lists agree (the last frames may still be on their way)
  let owner = [];
  let editor = [];
  for (let i = 0; i < 20; i += 1) {
    owner = await confirmedMessages(pages.owner);
    editor = await confirmedMessages(pages.editor);
    if (JSON.stringify(owner) === JSON.stringify(editor)) break;
    await pages.owner.waitForTimeout(250);
  }
  assert.deepEqual(editor, owner);
  const seqs = owner.map(([seq]) => seq);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'not in sequence order');
  assert.equal(new Set(seqs).size, seqs.length, 'a sequence number is shown twice');
  for (let i = 1; i < seqs.length; i += 1) assert.equal(seqs[i], seqs[i - 1] + 1, `gap after ${seqs[i - 1]}`);
  const texts = owner.map(([, text]) => text);
  for (const text of [queued, meanwhile]) {
    assert.equal(texts.filter((t) => t === text).length, 1, `"${text}" shown ${texts.filter((t) => t === text).length} times`);
  }
  assert.ok(texts.indexOf(meanwhile) < texts.indexOf(queued), 'the queued message should come after the one sent meanwhile');
  // nothing left pending on either side
  for (const page of Object.values(pages)) {
    assert.equal(await page.locator('[data-testid="chat-message"]:not([data-seq])').count(), 0);
  }
});

step('the chat fits a 360 px phone with the composer in view', async () => {
  const page = pages.owner;
  await page.setViewportSize({ width: 360, height: 740 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `page is ${width}px wide at 360px`);
  const box = await composer(page);
  await box.scrollIntoViewIfNeeded();
  assert.ok(await box.isVisible());
  await page.setViewportSize({ width: 1280, height: 800 });
});

step('no uncaught errors in either page', async () => {
  assert.deepEqual(pageErrors, []);
});
