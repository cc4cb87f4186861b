// End-to-end: the andon loop across three browser contexts against the local stack.
//
//   BASE_URL=http://127.0.0.1:8123 node --test e2e/response-loop.mjs   (npm run e2e runs every e2e file)
//
// An administrator's policy escalates at 0 minutes to huang.tech. wang.owner opens a critical
// room with it; huang, sitting on the room list, sees the bell count go up live (the gateway runs
// the scheduler every few seconds in the tests), opens the room from the inbox and presses
// 「我來處理」; wang's page shows who took it and the waiting timer stops; wang's line board (a
// third context) shows the room move from unacknowledged to acknowledged without a reload.
import assert from 'node:assert/strict';
import { api, apiLogin, BASE_URL, login, makeStamp, OWNER, scenario, waitConnected } from './support.mjs';

const TECH = 'huang.tech';
const TITLE = `E2E 焊線機斷線 ${makeStamp()}`;
const ESCALATION = 75_000; // the scheduler's period in the e2e gateway is a few seconds; a minute at most

const { step, newPage, noPageErrors, pages } = scenario({ prefix: 'response' });
let roomId = '';

async function unreadCount(page) {
  const label = (await page.getByRole('link', { name: /^通知/ }).first().getAttribute('aria-label')) ?? '';
  const match = label.match(/(\d+)/);
  return match ? Number(match[1]) : 0;
}

step(`${TECH} waits on the room list with a live connection`, async () => {
  const page = await newPage('tech');
  await login(page, TECH);
  await waitConnected(page);
  await page.evaluate(() => {
    window.__e2eNoReload = true;
  });
});

step(`${OWNER} also watches the line board (a TV at the line)`, async () => {
  const page = await newPage('board');
  await login(page, OWNER);
  await page.goto(`${BASE_URL}/board`);
  await page.getByRole('heading', { name: '產線看板' }).waitFor();
});

step(`${OWNER} opens a critical room whose policy escalates to ${TECH} at once`, async () => {
  const admin = (await apiLogin('lin.admin')).access_token;
  const policy = await api('/api/escalation-policies', {
    token: admin, method: 'POST',
    body: { name: `E2E ${makeStamp()}`, steps: [{ after_minutes: 0, notify: { users: [`${TECH}@panjit.com.tw`] } }] },
  });
  const owner = (await apiLogin(OWNER)).access_token;
  await apiLogin(TECH); // a user must have logged in once to be notified and added
  const room = await api('/api/rooms', {
    token: owner, method: 'POST',
    body: { title: TITLE, incident_type: 'equipment_failure', severity: 'critical', escalation_policy_id: policy.policy_id },
  });
  roomId = room.room_id;
  const page = await newPage('owner');
  await login(page, OWNER);
  await page.goto(`${BASE_URL}/rooms/${roomId}`);
  await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  await page.getByText('等待接手').first().waitFor();
});

step('the board shows the room as unacknowledged', async () => {
  const card = pages.board.getByRole('listitem').filter({ hasText: TITLE });
  await card.waitFor({ timeout: 70_000 }); // live (a member's room list), the one-minute refresh at the latest
  await card.getByText(/未接手|無人接手/).first().waitFor();
});

step(`${TECH}'s bell counts the escalation live, and the inbox opens the room`, async () => {
  const page = pages.tech;
  await page.waitForFunction(
    () => /通知（\d+ 則未讀）/.test(document.querySelector('a[aria-label^="通知"]')?.getAttribute('aria-label') ?? ''),
    null, { timeout: ESCALATION });
  assert.ok((await unreadCount(page)) >= 1);
  assert.equal(await page.evaluate(() => window.__e2eNoReload), true, 'no reload happened');
  await page.getByRole('link', { name: /^通知/ }).first().click();
  await page.waitForURL((url) => url.pathname === '/notifications');
  await page.getByText(TITLE).first().click();
  await page.waitForURL((url) => url.pathname === `/rooms/${roomId}`);
  await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
});

step(`${TECH} presses 「我來處理」`, async () => {
  const page = pages.tech;
  await page.getByRole('button', { name: '我來處理' }).click();
  await page.getByText('接手人：').first().waitFor();
});

step(`${OWNER}'s page shows who took it and the waiting timer stops`, async () => {
  const page = pages.owner;
  await page.getByText('黃俊傑').first().waitFor({ timeout: 20_000 });
  await page.getByText('接手耗時').first().waitFor();
  assert.equal(await page.getByRole('button', { name: '我來處理' }).count(), 0);
});

step('the board shows the room acknowledged without a reload', async () => {
  const card = pages.board.getByRole('listitem').filter({ hasText: TITLE });
  await card.getByText('已接手').first().waitFor({ timeout: 70_000 });
});

noPageErrors('no uncaught errors or CSP violations in any page');
