// End-to-end test of the SPA shell against the running local stack (SPA + API on one port).
//
//   BASE_URL=http://127.0.0.1:8123 node --test e2e/run.mjs      (or: npm run e2e)
//
// Env (see support.mjs): BASE_URL, CHROMIUM_PATH, E2E_USER / E2E_PASSWORD (default the demo
// user chen.editor / Passw0rd!), E2E_SCREENSHOTS=1 to keep a screenshot of every step
// (failures are always kept).
import assert from 'node:assert/strict';
import { before } from 'node:test';
import { assertFitsPhone, BASE_URL, onPhone, PASSWORD, pathOf, scenario, USERNAME } from './support.mjs';

const { step, newPage, noPageErrors } = scenario();

/** @type {import('playwright-core').Page} */
let page;

before(async () => {
  page = await newPage();
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
  await onPhone(page, () => assertFitsPhone(page));
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

noPageErrors('no uncaught errors in the page');
