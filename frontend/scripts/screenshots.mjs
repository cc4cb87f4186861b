/* global console, document -- a Node script; document only inside page.evaluate (the browser) */
// The README's screenshots (zh-TW, 390 × 844 phone and 1366 × 768 desktop), taken with the
// browser tests' harness (e2e/support.mjs: Debian chromium through playwright-core) against a
// running local stack, so they follow the SPA as it changes.
//
//   make dev   (or any gateway serving the built SPA), then
//   BASE_URL=http://127.0.0.1:8000 npm run screenshots
//
// Writes docs/screenshots/<page>-<phone|desktop>.png at the repository root: the room list, a
// room's chat (a room created over the API, a few messages written in it) and the line board, in the
// light theme, plus the chat in the dark theme.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { BASE_URL, CHROMIUM_PATH, createRoomWithEditor, login, message, openRoomChat, OWNER, say } from '../e2e/support.mjs';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshots');
const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1366, height: 768 } };
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
  '--no-first-run', '--disable-component-update', '--disable-sync'];

const { roomId } = await createRoomWithEditor({ title: '回焊爐 RF-03 溫度異常', location: 'A 廠 / Line 3' });
const MESSAGES = ['RF-03 第 5 溫區超溫，已暫停進料', '設備課 5 分鐘內到場，請帶溫度記錄器', '前一批產品先隔離待判'];

mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
try {
  // a few messages, written in the chat as a user would
  const context = await browser.newContext({ viewport: VIEWPORTS.desktop, locale: 'zh-TW' });
  const page = await context.newPage();
  await login(page, OWNER);
  await openRoomChat(page, { roomId, title: '回焊爐 RF-03 溫度異常' });
  for (const text of MESSAGES) {
    await say(page, text);
    await message(page, text).and(page.locator('[data-seq]')).waitFor();
  }
  await context.close();

  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    for (const theme of ['light', 'dark']) {
      const context = await browser.newContext({ viewport, locale: 'zh-TW', colorScheme: theme });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      await login(page, OWNER);
      const shots = theme === 'light'
        ? [['rooms', '/rooms', 'h1'], ['chat', `/rooms/${roomId}`, '[data-testid="chat-message"]'], ['board', '/board', 'h1']]
        : [['chat-dark', `/rooms/${roomId}`, '[data-testid="chat-message"]']];
      for (const [name, path, ready] of shots) {
        await page.goto(`${BASE_URL}${path}`);
        await page.locator(ready).first().waitFor();
        await page.evaluate(() => document.fonts.ready);
        await page.waitForTimeout(500);
        const file = join(OUT, `${name}-${size}.png`);
        await page.screenshot({ path: file });
        console.log(file);
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
}
