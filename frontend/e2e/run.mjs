// End-to-end test of the SPA shell against the running local stack (SPA + API on one port).
//
//   BASE_URL=http://127.0.0.1:8123 node --test e2e/run.mjs      (or: npm run e2e)
//
// Env: BASE_URL (default http://127.0.0.1:8000), CHROMIUM_PATH (default /usr/bin/chromium),
//      E2E_USER / E2E_PASSWORD (default the demo user chen.editor / Passw0rd!),
//      E2E_SCREENSHOTS=1 to keep a screenshot of every step (failures are always kept).
// Uses Debian's chromium through playwright-core; never downloads a browser.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8000').replace(/\/+$/, '');
const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const USERNAME = process.env.E2E_USER || 'chen.editor';
const PASSWORD = process.env.E2E_PASSWORD || 'Passw0rd!';
const KEEP_SCREENSHOTS = process.env.E2E_SCREENSHOTS === '1';
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');

let browser;
let context;
let page;
let failed = false;
const pageErrors = [];

async function screenshot(name) {
  if (!page) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `${name}.png`);
  try {
    await page.screenshot({ path: file, fullPage: true });
    console.log(`# screenshot: ${file}`);
  } catch (error) {
    console.log(`# screenshot failed: ${error}`);
  }
}

/** One sequential step: skipped after an earlier failure, screenshot on failure. */
function step(name, fn) {
  test(name, async (t) => {
    if (failed) {
      t.skip('an earlier step failed');
      return;
    }
    try {
      await fn();
      if (KEEP_SCREENSHOTS) await screenshot(`ok-${slug(name)}`);
    } catch (error) {
      failed = true;
      await screenshot(`failed-${slug(name)}`);
      throw error;
    }
  });
}

function slug(text) {
  return text.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
}

function pathOf(url) {
  return new URL(url).pathname;
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
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-TW' });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(String(error)));
});

after(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
});

step('an anonymous visit is redirected to /login', async () => {
  await page.goto(`${BASE_URL}/`);
  await page.waitForURL((url) => url.pathname === '/login');
  assert.equal(new URL(page.url()).searchParams.get('returnTo'), '/rooms');
  await page.getByRole('heading', { name: '登入', exact: true }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-TW');
});

step('a wrong password shows the wrong-credentials message', async () => {
  await page.getByLabel('帳號', { exact: true }).fill(USERNAME);
  await page.getByLabel('密碼', { exact: true }).fill(`${PASSWORD}-wrong`);
  await page.getByRole('button', { name: '登入', exact: true }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /帳號或密碼錯誤/);
  assert.equal(pathOf(page.url()), '/login');
});

step('logging in shows the room list (事件列表)', async () => {
  await page.getByLabel('密碼', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: '登入', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: '事件列表' }).waitFor();
  assert.equal(pathOf(page.url()), '/rooms');
  await page.getByRole('button', { name: '登出' }).waitFor();
  // Either rooms or the empty state, never an error.
  await page.locator('.room-list, .empty-state').first().waitFor();
  assert.equal(await page.getByRole('alert').count(), 0, 'the room list answered with an error');
});

step('the room list fits a 360 px phone', async () => {
  await page.setViewportSize({ width: 360, height: 740 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 360, `page is ${overflow}px wide at 360px`);
  await page.setViewportSize({ width: 1280, height: 800 });
});

step('switching to English shows "Incidents" and survives a reload', async () => {
  await page.getByRole('combobox', { name: '語言' }).selectOption('en');
  await page.getByRole('heading', { level: 1, name: 'Incidents' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Incidents' }).waitFor();
  assert.equal(pathOf(page.url()), '/rooms', 'the session did not survive the reload');
});

step('logging out ends on /login', async () => {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL((url) => url.pathname === '/login');
  await page.getByRole('heading', { name: 'Log in', exact: true }).waitFor();
  // The session is really gone: a protected page sends us back to /login.
  await page.goto(`${BASE_URL}/rooms`);
  await page.waitForURL((url) => url.pathname === '/login');
  await page.getByRole('heading', { name: 'Log in', exact: true }).waitFor();
});

step('no uncaught errors in the page', async () => {
  assert.deepEqual(pageErrors, []);
});
