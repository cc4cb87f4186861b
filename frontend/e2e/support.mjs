// Shared harness of the browser tests (e2e/*.mjs): environment, chromium, browser contexts,
// sequential steps with screenshots, logging in (through the UI and over REST), and helpers.
// Not a test file itself: `npm run e2e` names the scenario files, which import this module.
//
// Env: BASE_URL (default http://127.0.0.1:8000), CHROMIUM_PATH (default /usr/bin/chromium),
//      E2E_USER / E2E_PASSWORD (default the demo user chen.editor / Passw0rd!),
//      OWNER_USER / EDITOR_USER (the two demo users of the two-context scenarios,
//      default wang.owner / chen.editor),
//      E2E_SCREENSHOTS=1 to keep a screenshot of every step (failures are always kept).
// Uses Debian's chromium through playwright-core; never downloads a browser.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8000').replace(/\/+$/, '');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const USERNAME = process.env.E2E_USER || 'chen.editor';
export const PASSWORD = process.env.E2E_PASSWORD || 'Passw0rd!';
export const OWNER = process.env.OWNER_USER || 'wang.owner';
export const EDITOR = process.env.EDITOR_USER || 'chen.editor';
export const KEEP_SCREENSHOTS = process.env.E2E_SCREENSHOTS === '1';
export const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };

/** A time-and-random suffix that keeps titles and texts of one run apart from earlier runs. */
export function makeStamp() {
  return `${new Date().toISOString().slice(11, 19)}-${Math.floor(Math.random() * 1e4)}`;
}

export function slug(text) {
  return text.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
}

export function pathOf(url) {
  return new URL(url).pathname;
}

/**
 * The harness of one scenario file: launches chromium before the first test and closes every
 * context and the browser after the last one.
 *
 * - `prefix` names the screenshots `<prefix>-<step>-<who>.png` and page errors `<who>: <error>`;
 *   without it (a scenario of one page) they are `<step>.png` and `<error>`.
 * - `contextOptions` are added to every browser context (e.g. `{ acceptDownloads: true }`).
 *
 * Returns `step` (one sequential test), `newPage(who)`, `openChatAsOwnerAndEditor(room)`,
 * `noPageErrors(name)` (the closing step), and what the pages collected:
 * `pages`, `contexts` (by who), `pageErrors`, and the parsed WebSocket frames each page
 * `sent` / `received` (by who).
 */
export function scenario({ prefix, contextOptions = {} } = {}) {
  /** @type {Promise<import('playwright-core').Browser> | undefined} */
  let browser;
  let failed = false;
  /** @type {Record<string, import('playwright-core').Page>} */
  const pages = {};
  /** @type {Record<string, import('playwright-core').BrowserContext>} */
  const contexts = {};
  const pageErrors = [];
  /** Frames each page sent / received over its WebSocket(s), parsed. */
  const sent = {};
  const received = {};

  /** Launched once, before the first test; a scenario's own before hook may already ask for it. */
  function launch() {
    browser ??= chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
    return browser;
  }

  before(async () => {
    await launch();
  });

  after(async () => {
    for (const context of Object.values(contexts)) await context.close().catch(() => undefined);
    await (await browser?.catch(() => undefined))?.close().catch(() => undefined);
  });

  async function screenshots(name) {
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const [who, page] of Object.entries(pages)) {
      const file = join(ARTIFACTS, prefix ? `${prefix}-${name}-${who}.png` : `${name}.png`);
      try {
        await page.screenshot({ path: file, fullPage: true });
        console.log(`# screenshot: ${file}`);
      } catch (error) {
        console.log(`# screenshot failed: ${error}`);
      }
    }
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

  /** A page in a browser context of its own (its own cookies and storage), as `who`. */
  async function newPage(who = 'page') {
    const context = await (await launch()).newContext({ viewport: DESKTOP, locale: 'zh-TW', ...contextOptions });
    contexts[who] = context;
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => pageErrors.push(prefix ? `${who}: ${error}` : String(error)));
    // The gateway serves every page with the CSP of production (CloudFront): a violation is a bug.
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) {
        pageErrors.push(`${who}: CSP violation: ${msg.text()}`);
      }
    });
    sent[who] = [];
    received[who] = [];
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

  /**
   * OWNER and EDITOR, each in a browser context of their own, log in and open the room's chat;
   * with `history`, also until the message list is there (history loaded and subscribed).
   */
  async function openChatAsOwnerAndEditor({ roomId, title, history = false }) {
    for (const [who, username] of [
      ['owner', OWNER],
      ['editor', EDITOR],
    ]) {
      const page = await newPage(who);
      await login(page, username);
      await openRoomChat(page, { roomId, title });
      if (history) await page.waitForFunction(() => document.querySelector('.chat-list') !== null);
    }
  }

  /** The last step of every scenario. */
  function noPageErrors(name) {
    step(name, async () => {
      assert.deepEqual(pageErrors, []);
    });
  }

  return { step, newPage, openChatAsOwnerAndEditor, noPageErrors, pages, contexts, pageErrors, sent, received };
}

/** Logs in through the login page and waits for the room list. */
export async function login(page, username) {
  await page.goto(`${BASE_URL}/login`);
  await page.getByLabel('帳號', { exact: true }).fill(username);
  await page.getByLabel('密碼', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: '登入', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: '事件列表' }).waitFor();
}

/** Waits for the connection status to read 已連線 (the WebSocket is up). */
export async function waitConnected(page, options) {
  await page.getByRole('status').filter({ hasText: '已連線' }).waitFor(options);
}

/** True once the <img> has really loaded (decoded, non-zero size). */
export async function imageLoaded(locator) {
  await locator.waitFor();
  await locator.evaluate(
    (img) =>
      new Promise((resolve, reject) => {
        if (img.complete && img.naturalWidth > 0) return resolve(true);
        img.addEventListener('load', () => resolve(true), { once: true });
        img.addEventListener('error', () => reject(new Error(`image failed: ${img.src}`)), { once: true });
      }),
  );
  return locator.evaluate((img) => img.naturalWidth);
}

/** Runs `fn` at a 360 × 740 phone viewport, then returns to the desktop size. */
export async function onPhone(page, fn) {
  await page.setViewportSize(PHONE);
  await fn();
  await page.setViewportSize(DESKTOP);
}

/** Asserts the document is no wider than the phone viewport (no horizontal scrolling). */
export async function assertFitsPhone(page, what = 'page') {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `${what} is ${width}px wide at ${PHONE.width}px`);
}

/**
 * Reads `[a, b]` with `read()` until the two agree (JSON-equal), at most `tries` times 250 ms
 * apart; returns the last reading.
 */
export async function untilSame(page, read, tries) {
  let pair = [];
  for (let i = 0; i < tries; i += 1) {
    pair = await read();
    if (JSON.stringify(pair[0]) === JSON.stringify(pair[1])) break;
    await page.waitForTimeout(250);
  }
  return pair;
}

// ---- REST --------------------------------------------------------------------------------

/** A JSON request to the API; throws on a non-2xx answer. */
export async function api(path, { token, method = 'GET', body } = {}) {
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

/** POST /api/auth/login: `{ access_token, user, ... }`. */
export function apiLogin(username) {
  return api('/api/auth/login', { method: 'POST', body: { username, password: PASSWORD } });
}

/**
 * OWNER creates an equipment_failure room of high severity over the API and adds EDITOR to it
 * as EDITOR (the editor logs in first: only a user who has logged in once can be added).
 * Returns the room id, both login answers and `users` (the two users by who).
 */
export async function createRoomWithEditor({ title, location }) {
  const owner = await apiLogin(OWNER);
  const editor = await apiLogin(EDITOR);
  const room = await api('/api/rooms', {
    token: owner.access_token,
    method: 'POST',
    body: { title, incident_type: 'equipment_failure', severity: 'high', location },
  });
  await api(`/api/rooms/${room.room_id}/members`, {
    token: owner.access_token,
    method: 'POST',
    body: { user_id: editor.user.user_id, role: 'EDITOR' },
  });
  return { roomId: room.room_id, owner, editor, users: { owner: owner.user, editor: editor.user } };
}

// ---- the chat ----------------------------------------------------------------------------

/** The message composer of the room chat. */
export function composer(page) {
  return page.getByRole('textbox', { name: '訊息', exact: true });
}

/** Writes `text` in the composer and sends it with Enter. */
export async function say(page, text) {
  const box = composer(page);
  await box.fill(text);
  await box.press('Enter');
}

/** The chat message (pending or confirmed) whose text is exactly `text`. */
export function message(page, text) {
  return page.locator('[data-testid="chat-message"]').filter({ has: page.getByText(text, { exact: true }) });
}

/** Opens /rooms/{roomId} and waits for its heading, a live connection and the composer. */
export async function openRoomChat(page, { roomId, title }) {
  await page.goto(`${BASE_URL}/rooms/${roomId}`);
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  await waitConnected(page);
  await composer(page).waitFor();
}
