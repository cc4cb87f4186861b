// End-to-end: the SPA with the keyboard only (no mouse, no clicks): log in, open a room, send a
// message, react to it through the emoji picker, open the create-room dialog (focus trapped,
// Escape closes it and gives focus back) and open the inbox. Every move is Tab / Shift+Tab /
// Enter / arrows / Escape; the focused element always shows a visible focus indicator.
//
//   BASE_URL=http://127.0.0.1:8123 node --test e2e/keyboard.mjs      (npm run e2e runs every e2e file)
//
// wang.owner creates the room over the API (setup, not the UI under test). Env as in support.mjs.
import assert from 'node:assert/strict';
import { api, apiLogin, BASE_URL, makeStamp, OWNER, PASSWORD, pathOf, scenario } from './support.mjs';

const TITLE = `E2E 鍵盤操作 ${makeStamp()}`;
const TEXT = `鍵盤送出 ${makeStamp()}`;

const { step, newPage, noPageErrors } = scenario({ prefix: 'keyboard' });

/** @type {import('playwright-core').Page} */
let page;
let roomId = '';

/** What has the focus: its tag, role, accessible-ish name and whether a focus ring is drawn. */
function focused() {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body', name: '', ring: false };
    const style = getComputedStyle(el);
    const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
    const name = el.getAttribute('aria-label') || el.labels?.[0]?.textContent || el.textContent || '';
    return { tag: el.tagName.toLowerCase(), name: name.trim(), ring, id: el.id };
  });
}

/** Presses `key` (Tab by default) until the focused element matches, at most `max` times. */
async function focusUntil(match, { key = 'Tab', max = 80 } = {}) {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press(key);
    const now = await focused();
    if (match(now)) {
      assert.ok(now.ring, `no visible focus on <${now.tag}> ${now.name}`);
      return now;
    }
  }
  throw new Error(`nothing matched after ${max} × ${key}; focus is on ${JSON.stringify(await focused())}`);
}

step(`${OWNER} has a room (created over the API)`, async () => {
  const owner = await apiLogin(OWNER);
  const room = await api('/api/rooms', {
    token: owner.access_token,
    method: 'POST',
    body: { title: TITLE, incident_type: 'equipment_failure', severity: 'high', location: 'A 廠 / Line 2' },
  });
  roomId = room.room_id;
  page = await newPage('owner');
});

step('logs in with the keyboard only', async () => {
  await page.goto(`${BASE_URL}/login`);
  await page.getByRole('heading', { name: '登入', exact: true }).waitFor();
  await focusUntil((el) => el.tag === 'input' && el.name === '帳號');
  await page.keyboard.type(OWNER);
  await focusUntil((el) => el.tag === 'input' && el.name === '密碼');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: '事件列表' }).waitFor();
});

step('the skip link comes first and moves the focus to the page', async () => {
  await page.locator('body').focus();
  const first = await focusUntil(() => true, { max: 1 });
  assert.equal(first.tag, 'a');
  assert.match(first.name, /跳到主要內容|主要內容/);
  await page.keyboard.press('Enter');
  assert.equal((await focused()).id, 'main');
});

step('opens the room from the list with Tab and Enter', async () => {
  await page.locator(`a[href="/rooms/${roomId}"]`).first().waitFor();
  await focusUntil((el) => el.tag === 'a' && el.name.includes(TITLE), { max: 150 });
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  assert.equal(pathOf(page.url()), `/rooms/${roomId}`);
});

step('sends a message from the composer with Enter', async () => {
  await page.getByRole('textbox', { name: '訊息', exact: true }).waitFor();
  await focusUntil((el) => el.tag === 'textarea' && el.id.endsWith('-text'), { max: 150 });
  await page.keyboard.type(TEXT);
  await page.keyboard.press('Enter');
  await page
    .locator('[data-testid="chat-message"][data-seq]')
    .filter({ has: page.getByText(TEXT, { exact: true }) })
    .waitFor();
});

step('reacts with the emoji picker: arrows to choose, Enter to pick', async () => {
  const message = page.locator('[data-testid="chat-message"][data-seq]').filter({ has: page.getByText(TEXT, { exact: true }) });
  // back from the composer into the message's action bar
  await focusUntil((el) => el.tag === 'button' && el.name === '新增回應', { key: 'Shift+Tab', max: 40 });
  await page.keyboard.press('Enter');
  const picker = page.getByRole('group', { name: '選擇回應' });
  await picker.waitFor();
  assert.equal((await focused()).name, '讚', 'the picker focuses its first emoji');
  await page.keyboard.press('ArrowRight');
  assert.equal((await focused()).name, '愛心');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Enter');
  await message.locator('.reactions').getByRole('button', { name: /👍/ }).waitFor();
  await picker.waitFor({ state: 'detached' });
});

step('Escape closes the emoji picker and gives the focus back', async () => {
  await focusUntil((el) => el.tag === 'button' && el.name === '新增回應', { key: 'Shift+Tab', max: 40 });
  await page.keyboard.press('Enter');
  await page.getByRole('group', { name: '選擇回應' }).waitFor();
  await page.keyboard.press('Escape');
  await page.getByRole('group', { name: '選擇回應' }).waitFor({ state: 'detached' });
  assert.equal((await focused()).name, '新增回應');
});

step('the create-room dialog traps the focus and Escape closes it', async () => {
  await page.goto(`${BASE_URL}/rooms`);
  await page.getByRole('heading', { level: 1, name: '事件列表' }).waitFor();
  await focusUntil((el) => el.tag === 'button' && el.name.endsWith('新增事件'), { max: 150 });
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: '新增事件' });
  await dialog.waitFor();
  for (let i = 0; i < 40; i += 1) {
    await page.keyboard.press(i % 3 === 0 ? 'Shift+Tab' : 'Tab');
    assert.ok(
      await dialog.evaluate((root) => root.contains(document.activeElement)),
      'the focus left the dialog',
    );
  }
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.match((await focused()).name, /新增事件$/, 'the focus did not return to the opener');
});

step('opens the inbox from the app bar', async () => {
  await focusUntil((el) => el.tag === 'a' && el.name.startsWith('通知'), { key: 'Shift+Tab', max: 150 });
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: '通知' }).waitFor();
  assert.equal(pathOf(page.url()), '/notifications');
});

noPageErrors('no uncaught errors in the page');
