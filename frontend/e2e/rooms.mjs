// End-to-end: incident rooms live across two users (two browser contexts) against the local stack.
//
//   BASE_URL=http://127.0.0.1:8123 node --test e2e/rooms.mjs      (npm run e2e runs every e2e file)
//
// wang.owner creates a room from the 設備異常 template and adds chen.editor as EDITOR on the
// members page; chen.editor, already sitting on /rooms in another context, sees the room appear
// without a reload (over the WebSocket). Env as in run.mjs: BASE_URL, CHROMIUM_PATH,
// E2E_PASSWORD, E2E_SCREENSHOTS=1; OWNER_USER / EDITOR_USER override the two demo users.
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
const TITLE = `E2E 回焊爐溫度異常 ${new Date().toISOString().slice(11, 19)}-${Math.floor(Math.random() * 1e4)}`;

let browser;
/** @type {{ owner?: import('playwright-core').Page, editor?: import('playwright-core').Page }} */
const pages = {};
const contexts = [];
const pageErrors = [];
/** WebSocket frames each page received, parsed. */
const frames = { owner: [], editor: [] };
let failed = false;
let roomPath = '';

async function screenshots(name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const [who, page] of Object.entries(pages)) {
    const file = join(ARTIFACTS, `rooms-${name}-${who}.png`);
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

async function newPage(who) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-TW' });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(`${who}: ${error}`));
  page.on('websocket', (ws) => {
    ws.on('framereceived', ({ payload }) => {
      try {
        frames[who].push(JSON.parse(String(payload)));
      } catch {
        // not JSON
      }
    });
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
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
});

step(`${EDITOR} logs in and waits on /rooms with a live connection`, async () => {
  const page = await newPage('editor');
  await login(page, EDITOR);
  await page.getByRole('status').filter({ hasText: '已連線' }).waitFor();
  // A marker that a reload would wipe out.
  await page.evaluate(() => {
    window.__e2eNoReload = true;
  });
});

step(`${OWNER} logs in and opens the create-room dialog`, async () => {
  const page = await newPage('owner');
  await login(page, OWNER);
  await page.getByRole('button', { name: '新增事件' }).click();
  const dialog = page.getByRole('dialog', { name: '新增事件' });
  await dialog.waitFor();
  assert.equal(await dialog.getAttribute('aria-modal'), 'true');
});

step('choosing the 設備異常 template pre-fills type, severity and description', async () => {
  const page = pages.owner;
  const dialog = page.getByRole('dialog', { name: '新增事件' });
  const picker = dialog.getByLabel('範本');
  await picker.locator('option', { hasText: '設備異常' }).waitFor({ state: 'attached' });
  const value = await picker.locator('option', { hasText: '設備異常' }).first().getAttribute('value');
  assert.ok(value, 'the 設備異常 template is offered');
  await picker.selectOption(value);
  assert.equal(await dialog.getByLabel(/類型/).inputValue(), 'equipment_failure');
  assert.equal(await dialog.getByLabel('嚴重度', { exact: true }).inputValue(), 'high');
  assert.match(await dialog.getByLabel('描述', { exact: true }).inputValue(), /警報代碼/);
});

step('an empty title is refused in the dialog, then the room is created and opened', async () => {
  const page = pages.owner;
  const dialog = page.getByRole('dialog', { name: '新增事件' });
  await dialog.getByRole('button', { name: '建立事件' }).click();
  await dialog.getByText('請輸入標題').waitFor();
  await dialog.getByLabel(/標題/).fill(TITLE);
  await dialog.getByLabel('地點', { exact: true }).fill('A 廠 / Line 3 / 回焊爐');
  await dialog.getByRole('button', { name: '建立事件' }).click();
  await page.waitForURL((url) => /^\/rooms\/[0-9a-f-]{36}$/.test(url.pathname));
  roomPath = new URL(page.url()).pathname;
  await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  await page.getByText('嚴重度：高').first().waitFor();
});

step(`the room is not in ${EDITOR}'s list before they are added`, async () => {
  const page = pages.editor;
  assert.equal(await page.getByRole('link', { name: new RegExp(TITLE) }).count(), 0);
});

step(`${OWNER} adds ${EDITOR} as EDITOR on the members page`, async () => {
  const page = pages.owner;
  await page.getByRole('navigation', { name: '事件頁面' }).getByRole('link', { name: '成員' }).click();
  await page.waitForURL((url) => url.pathname === `${roomPath}/members`);
  await page.getByRole('list', { name: '成員列表' }).waitFor();
  // The template may bring default members of its own (added before their first login).
  const before = await page.getByRole('list', { name: '成員列表' }).getByRole('listitem').count();
  await page.getByRole('searchbox', { name: '搜尋使用者' }).fill(EDITOR);
  const results = page.getByRole('list', { name: '搜尋結果' });
  await results.waitFor();
  await results.getByRole('button').filter({ hasText: EDITOR }).first().click();
  await page.getByRole('combobox', { name: '角色', exact: true }).selectOption('EDITOR');
  await page.getByRole('button', { name: '加入成員' }).click();
  await page.getByText(/^已加入 /).waitFor();
  const members = page.getByRole('list', { name: '成員列表' });
  await members.getByRole('listitem').nth(before).waitFor();
  assert.equal(await members.getByRole('listitem').count(), before + 1);
});

step('the members page fits a 360 px phone with 44 px touch targets', async () => {
  const page = pages.owner;
  await page.setViewportSize({ width: 360, height: 740 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `page is ${width}px wide at 360px`);
  const small = await page.evaluate(() =>
    [...document.querySelectorAll('main button, main select, main input')]
      .filter((el) => el.getBoundingClientRect().height > 0 && el.getBoundingClientRect().height < 44)
      .map((el) => el.outerHTML.slice(0, 80)),
  );
  assert.deepEqual(small, []);
  await page.setViewportSize({ width: 1280, height: 800 });
});

step(`${EDITOR} sees the room appear in their list without a reload`, async () => {
  const page = pages.editor;
  const link = page.getByRole('link', { name: new RegExp(TITLE) });
  await link.waitFor({ timeout: 10_000 });
  assert.equal(await page.evaluate(() => window.__e2eNoReload), true, 'the page was reloaded');
  const roomId = roomPath.split('/').pop();
  assert.ok(
    frames.editor.some((f) => f.type === 'system' && f.event === 'member_added' && f.room_id === roomId),
    `no member_added frame for the room reached ${EDITOR}: ${JSON.stringify(frames.editor)}`,
  );
  await link.getByText('嚴重度：高').waitFor();
  await link.getByText('處理中').waitFor();
});

step(`${EDITOR} opens the room settings and gets the editor controls`, async () => {
  const page = pages.editor;
  await page.getByRole('link', { name: new RegExp(TITLE) }).click();
  await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  await page.getByRole('navigation', { name: '事件頁面' }).getByRole('link', { name: '設定' }).click();
  await page.getByText('您在此事件是編輯者，可以變更嚴重度與事件狀態。').waitFor();
  await page.getByRole('button', { name: '標記為已解決' }).waitFor();
  assert.equal(await page.getByRole('button', { name: '封存事件' }).count(), 0);
  assert.equal(await page.getByRole('textbox', { name: '標題' }).count(), 0);
});

step('no uncaught errors in either page', async () => {
  assert.deepEqual(pageErrors, []);
});
