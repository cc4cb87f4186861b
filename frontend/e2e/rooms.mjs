// End-to-end: incident rooms live across two users (two browser contexts) against the local stack.
//
//   BASE_URL=http://127.0.0.1:8123 node --test e2e/rooms.mjs      (npm run e2e runs every e2e file)
//
// wang.owner creates a room from the 設備異常 template and adds chen.editor as EDITOR on the
// members page; chen.editor, already sitting on /rooms in another context, sees the room appear
// without a reload (over the WebSocket). Env (see support.mjs): BASE_URL, CHROMIUM_PATH,
// E2E_PASSWORD, E2E_SCREENSHOTS=1; OWNER_USER / EDITOR_USER override the two demo users.
import assert from 'node:assert/strict';
import { assertFitsPhone, EDITOR, login, makeStamp, onPhone, OWNER, scenario, waitConnected } from './support.mjs';

const TITLE = `E2E 回焊爐溫度異常 ${makeStamp()}`;

const { step, newPage, noPageErrors, pages, received } = scenario({ prefix: 'rooms' });
let roomPath = '';

step(`${EDITOR} logs in and waits on /rooms with a live connection`, async () => {
  const page = await newPage('editor');
  await login(page, EDITOR);
  await waitConnected(page);
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
  await onPhone(page, async () => {
    await assertFitsPhone(page);
    const small = await page.evaluate(() =>
      [...document.querySelectorAll('main button, main select, main input')]
        .filter((el) => el.getBoundingClientRect().height > 0 && el.getBoundingClientRect().height < 44)
        .map((el) => el.outerHTML.slice(0, 80)),
    );
    assert.deepEqual(small, []);
  });
});

step(`${EDITOR} sees the room appear in their list without a reload`, async () => {
  const page = pages.editor;
  const link = page.getByRole('link', { name: new RegExp(TITLE) });
  await link.waitFor({ timeout: 10_000 });
  assert.equal(await page.evaluate(() => window.__e2eNoReload), true, 'the page was reloaded');
  const roomId = roomPath.split('/').pop();
  assert.ok(
    received.editor.some((f) => f.type === 'system' && f.event === 'member_added' && f.room_id === roomId),
    `no member_added frame for the room reached ${EDITOR}: ${JSON.stringify(received.editor)}`,
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

noPageErrors('no uncaught errors in either page');
