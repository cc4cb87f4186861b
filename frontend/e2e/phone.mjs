// End-to-end: the chat on a 390 × 844 phone (touch, mobile viewport), as a technician at the line
// uses it (issue 17):
// - the app bar is one compact row (back / name, connection state, bell, ☰ menu holding search,
//   board, account, language, theme and logout);
// - the chat's first message is on screen without scrolling, below the bar, not covered;
// - the composer stays above the on-screen keyboard: the keyboard is simulated by shrinking the
//   viewport to 390 × 500 while the composer has the focus (window.visualViewport shrinks with
//   it), and the composer must lie within visualViewport.height;
// - message actions are hidden until a tap (or a long press) on the message shows that message's
//   bar (one at a time, a tap elsewhere hides it); a reaction from the shown bar works;
// - the composer's photo button is a camera input (capture="environment").
//
//   BASE_URL=http://127.0.0.1:8123 node --test e2e/phone.mjs      (npm run e2e runs every e2e file)
//
// wang.owner creates the room over the API (setup, not the UI under test). Env as in support.mjs.
import assert from 'node:assert/strict';
import { composer, createRoomWithEditor, login, makeStamp, message, openRoomChat, OWNER, say, scenario } from './support.mjs';

const STAMP = makeStamp();
const TITLE = `E2E 手機對話 ${STAMP}`;
const TEXTS = [`第一則：輸送帶停了 ${STAMP}`, `第二則：已派人查看 ${STAMP}`, `第三則：馬達過熱 ${STAMP}`];
const PHONE = { width: 390, height: 844 };
/** The on-screen keyboard covers the bottom 344 px. */
const WITH_KEYBOARD = { width: 390, height: 500 };

const { step, newPage, noPageErrors } = scenario({
  prefix: 'phone',
  contextOptions: { viewport: PHONE, isMobile: true, hasTouch: true },
});

/** @type {import('playwright-core').Page} */
let page;
let roomId = '';

/** A box as plain numbers (top, bottom, left, right, height, width). */
function box(locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height, width: r.width };
  });
}

/** True when the element's centre is really it (or inside it) on screen: not covered by anything. */
function onTop(locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return hit !== null && (hit === el || el.contains(hit));
  });
}

/** The action bar of a message is shown (opaque, takes presses). */
function actionsShown(item) {
  return item.getByTestId('message-actions').evaluate((el) => {
    const style = getComputedStyle(el);
    return style.opacity === '1' && style.pointerEvents !== 'none';
  });
}

const confirmed = (text) => message(page, text).and(page.locator('[data-seq]'));

step(`${OWNER} has a room with three messages, sent from the phone`, async () => {
  const room = await createRoomWithEditor({ title: TITLE, location: 'A 廠 / Line 2 / 輸送帶' });
  roomId = room.roomId;
  page = await newPage('phone');
  await login(page, OWNER);
  await openRoomChat(page, { roomId, title: TITLE });
  for (const text of TEXTS) {
    await say(page, text);
    await confirmed(text).waitFor();
  }
  // opened afresh, like a technician opening the room
  await page.reload();
  await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  await confirmed(TEXTS[2]).waitFor();
  await composer(page).waitFor();
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(300);
});

step('the app bar is one compact row; its ☰ menu holds search, language, theme and logout', async () => {
  const bar = page.locator('.app-header');
  const barBox = await box(bar);
  console.log(`# app bar at 390 × 844: ${Math.round(barBox.height)} px tall`);
  assert.ok(barBox.height <= 64, `the app bar is ${barBox.height} px tall (more than one row)`);
  // every visible control of the bar sits in that one row
  const rows = await bar.evaluate((header) =>
    [...header.querySelectorAll('a, button, [role="status"]')]
      .filter((el) => !el.closest('.header-menu') && el.getBoundingClientRect().height > 0)
      .map((el) => {
        const r = el.getBoundingClientRect();
        return { what: el.getAttribute('aria-label') || el.textContent?.trim() || el.tagName, top: r.top, bottom: r.bottom };
      }),
  );
  assert.ok(rows.length >= 4, `too few controls in the bar: ${JSON.stringify(rows)}`);
  for (const row of rows) {
    assert.ok(row.top >= barBox.top && row.bottom <= barBox.bottom, `${row.what} is outside the one-row bar`);
  }
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), PHONE.width, 'no horizontal scrolling');
  // in a room, the bar leads back to the list (the breadcrumbs are folded away on the chat)
  const back = bar.getByRole('link', { name: '事件列表' });
  assert.equal(await back.getAttribute('href'), '/rooms');
  assert.ok(await back.isVisible());
  // the account items and search live in the menu
  const toggle = page.getByRole('button', { name: '帳號與設定選單' });
  assert.ok(!(await page.getByRole('button', { name: '登出' }).isVisible()), 'logout shows without opening the menu');
  await toggle.tap();
  await page.getByRole('button', { name: '登出' }).waitFor();
  for (const control of [
    page.getByRole('link', { name: '搜尋', exact: true }),
    page.getByRole('combobox', { name: '語言' }),
    page.getByRole('combobox', { name: '佈景主題' }),
  ]) {
    assert.ok(await control.isVisible());
    assert.ok((await box(control)).height >= 44, 'menu items are at least 44 px tall');
  }
  // a tap outside closes it (on the list's top, left of the open menu)
  await page.locator('.chat-list-header').tap({ position: { x: 8, y: 4 } });
  await page.getByRole('button', { name: '登出' }).waitFor({ state: 'hidden' });
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
});

step('the first message is on screen without scrolling, below the bar and not covered', async () => {
  assert.equal(await page.evaluate(() => window.scrollY), 0);
  assert.ok(
    await page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight),
    'the page itself scrolls (only the message list should)',
  );
  const barBottom = (await box(page.locator('.app-header'))).bottom;
  const first = confirmed(TEXTS[0]);
  const firstBox = await box(first);
  const composerBox = await box(composer(page));
  console.log(
    `# first message at 390 × 844: top ${Math.round(firstBox.top)} px, bottom ${Math.round(firstBox.bottom)} px ` +
      `(bar bottom ${Math.round(barBottom)} px, composer ${Math.round(composerBox.top)}–${Math.round(composerBox.bottom)} px)`,
  );
  assert.ok(firstBox.top >= barBottom, `the first message (top ${firstBox.top}) is under the bar (bottom ${barBottom})`);
  assert.ok(firstBox.bottom <= composerBox.top, 'the first message is behind the composer');
  assert.ok(composerBox.bottom <= PHONE.height, 'the composer is below the screen');
  assert.ok(await onTop(first.getByTestId('message-text')), 'the first message is covered');
});

step('the composer’s photo button opens the camera; the general attach button stays', async () => {
  const camera = page.getByTestId('camera-input');
  assert.equal(await camera.getAttribute('capture'), 'environment');
  assert.match((await camera.getAttribute('accept')) ?? '', /image\//);
  assert.equal(await camera.getAttribute('type'), 'file');
  for (const name of ['拍照', '附加檔案']) {
    const button = page.getByRole('button', { name, exact: true });
    assert.ok(await button.isVisible(), `${name} is missing`);
    const b = await box(button);
    assert.ok(b.height >= 44 && b.width >= 44, `${name} is smaller than 44 px`);
  }
  assert.equal(await page.getByTestId('file-input').getAttribute('capture'), null, 'attach files must not force the camera');
});

step('with the on-screen keyboard open (visualViewport 500 px), the composer stays above it', async () => {
  await composer(page).tap();
  assert.ok(await composer(page).evaluate((el) => el === document.activeElement));
  await page.setViewportSize(WITH_KEYBOARD);
  await page.waitForFunction((h) => Math.round(window.visualViewport?.height ?? 0) === h, WITH_KEYBOARD.height);
  // the layout follows the visual viewport (use-visual-viewport.ts)
  await page.waitForFunction(
    (h) => getComputedStyle(document.documentElement).getPropertyValue('--app-height').trim() === `${h}px`,
    WITH_KEYBOARD.height,
  );
  await page.waitForTimeout(200);
  const viewport = await page.evaluate(() => ({ height: window.visualViewport.height, top: window.visualViewport.offsetTop }));
  for (const [what, locator] of [
    ['composer', composer(page)],
    ['send button', page.getByRole('button', { name: '送出', exact: true })],
  ]) {
    const b = await box(locator);
    console.log(`# ${what} with the keyboard: ${Math.round(b.top)}–${Math.round(b.bottom)} px of ${viewport.height} px`);
    assert.ok(b.top >= viewport.top && b.bottom <= viewport.top + viewport.height, `the ${what} is under the keyboard`);
  }
  assert.ok(await onTop(composer(page)), 'the composer is covered');
  assert.ok(await page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight), 'the page scrolls');
  // the latest message is still visible between the bar and the composer
  const last = await box(confirmed(TEXTS[2]));
  assert.ok(last.top >= (await box(page.locator('.app-header'))).bottom && last.bottom <= (await box(composer(page))).top);
  // writing still works: the new message shows above the composer
  const text = `鍵盤開著送出 ${STAMP}`;
  await composer(page).fill(text);
  await composer(page).press('Enter');
  await confirmed(text).waitFor();
  await page.waitForTimeout(300);
  const sent = await box(confirmed(text));
  assert.ok(sent.bottom <= (await box(composer(page))).top + 1, 'the new message is hidden behind the composer');
  // the keyboard closes: the latest message is still in view, the room header is back
  await page.setViewportSize(PHONE);
  await page.waitForFunction((h) => Math.round(window.visualViewport?.height ?? 0) === h, PHONE.height);
  await page.getByRole('button', { name: '我來處理' }).waitFor();
  await page.waitForTimeout(300);
  const after = await box(confirmed(text));
  assert.ok(
    after.top >= (await box(page.locator('.chat-list'))).top && after.bottom <= (await box(composer(page))).top + 1,
    'the latest message scrolled out of view when the keyboard closed',
  );
  await composer(page).evaluate((el) => el.blur());
});

step('message actions are hidden until a tap on the message shows them, one message at a time', async () => {
  const second = confirmed(TEXTS[1]);
  const third = confirmed(TEXTS[2]);
  const react = second.getByRole('button', { name: '新增回應' });
  assert.equal(await page.locator('[data-actions-shown="true"]').count(), 0);
  assert.equal(await actionsShown(second), false, 'the actions show under every message');
  // not tappable while hidden: the press would land on the message
  await assert.rejects(react.tap({ trial: true, timeout: 1_000 }));

  await second.getByTestId('message-text').tap();
  await page.locator('[data-actions-shown="true"]').waitFor();
  assert.equal(await second.getAttribute('data-actions-shown'), 'true');
  assert.equal(await actionsShown(second), true);
  const reactBox = await box(react);
  assert.ok(reactBox.height >= 44 && reactBox.width >= 44, `the react button is ${reactBox.width} × ${reactBox.height} px`);
  assert.ok(await onTop(react), 'the react button is covered');

  // another message: its bar shows, the first one's hides
  await third.getByTestId('message-text').tap();
  await page.waitForFunction(() => document.querySelectorAll('[data-actions-shown="true"]').length === 1);
  assert.equal(await third.getAttribute('data-actions-shown'), 'true');
  assert.equal(await actionsShown(second), false);

  // a tap elsewhere hides it
  await page.getByRole('heading', { level: 1, name: TITLE }).tap();
  await page.waitForFunction(() => document.querySelectorAll('[data-actions-shown="true"]').length === 0);
  assert.equal(await actionsShown(third), false);
});

step('a long press on a message shows its actions too', async () => {
  const first = confirmed(TEXTS[0]);
  const target = await box(first.getByTestId('message-text'));
  const point = { x: Math.round(target.left + target.width / 2), y: Math.round(target.top + target.height / 2) };
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [point] });
  await page.waitForTimeout(700);
  assert.equal(await first.getAttribute('data-actions-shown'), 'true', 'a 700 ms press did not show the actions');
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await page.waitForTimeout(200);
  assert.equal(await first.getAttribute('data-actions-shown'), 'true', 'releasing the long press hid the actions again');
  await cdp.detach();
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.querySelectorAll('[data-actions-shown="true"]').length === 0);
});

step('a reaction from the tapped message’s bar', async () => {
  const second = confirmed(TEXTS[1]);
  await second.getByTestId('message-text').tap();
  await second.getByRole('button', { name: '新增回應' }).tap();
  const picker = page.getByRole('group', { name: '選擇回應' });
  await picker.waitFor();
  await picker.getByRole('button', { name: '讚' }).tap();
  await second.locator('.reactions').getByRole('button', { name: /👍/ }).waitFor();
  await picker.waitFor({ state: 'detached' });
});

noPageErrors('no uncaught errors on the phone');
