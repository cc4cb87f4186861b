// End-to-end: the local gateway restarts (kill -9, then started again on the same data) while
// two users chat. Both pages must show the reconnecting state, reconnect by themselves, and end
// with the same history as the server — every message once, the one written while the gateway
// was down included.
//
//   E2E_CONTROL_URL=http://127.0.0.1:<port> BASE_URL=... node --test e2e/restart.mjs
//
// E2E_CONTROL_URL is the small control server tests/e2e/test_browser.py runs next to the
// gateway (POST /gateway/kill, POST /gateway/start); without it this scenario is skipped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  api,
  createRoomWithEditor,
  EDITOR,
  makeStamp,
  message,
  OWNER,
  say,
  scenario,
  untilSame,
  waitConnected,
} from './support.mjs';

const CONTROL = (process.env.E2E_CONTROL_URL || '').replace(/\/+$/, '');

/** The confirmed messages on screen, in order: [seq, text]. */
async function confirmedMessages(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-testid="chat-message"][data-seq]')].map((el) => [
      Number(el.getAttribute('data-seq')),
      el.querySelector('[data-testid="message-text"]')?.textContent ?? '',
    ]),
  );
}

async function control(path) {
  const response = await fetch(`${CONTROL}${path}`, { method: 'POST' });
  const body = await response.json();
  assert.equal(response.status, 200, JSON.stringify(body));
  return body;
}

if (!CONTROL) {
  test('the gateway restarts while two users chat', { skip: 'E2E_CONTROL_URL is not set (tests/e2e/test_browser.py sets it)' }, () => {});
} else {
  const STAMP = makeStamp();
  const TITLE = `E2E 閘道重啟 ${STAMP}`;
  const { step, openChatAsOwnerAndEditor, noPageErrors, pages, sent } = scenario({ prefix: 'restart' });
  let roomId = '';
  let ownerToken = '';
  const before = `重啟前的訊息 ${STAMP}`;
  const onTheWire = `閘道關閉瞬間送出 ${STAMP}`;
  const whileDown = `閘道停機時寫的訊息 ${STAMP}`;
  const after = `重啟後的訊息 ${STAMP}`;

  step(`${OWNER} creates a room with ${EDITOR}; both open its chat and talk`, async () => {
    const created = await createRoomWithEditor({ title: TITLE, location: 'A 廠 / Line 3' });
    roomId = created.roomId;
    ownerToken = created.owner.access_token;
    await openChatAsOwnerAndEditor({ roomId, title: TITLE, history: true });
    await say(pages.owner, before);
    await message(pages.editor, before).and(pages.editor.locator('[data-seq]')).waitFor({ timeout: 10_000 });
  });

  step('the gateway is killed (-9) right after a message went out: both pages show reconnecting', async () => {
    await say(pages.owner, onTheWire);
    await control('/gateway/kill');
    for (const page of Object.values(pages)) {
      await page.getByTestId('chat-connection-banner').filter({ hasText: '重新連線中' }).waitFor({ timeout: 15_000 });
    }
  });

  step(`${EDITOR} writes while the gateway is down: the message waits`, async () => {
    await say(pages.editor, whileDown);
    const pending = message(pages.editor, whileDown);
    await pending.waitFor();
    assert.equal(await pending.getAttribute('data-seq'), null, 'stored while the gateway was down?');
  });

  step('the gateway starts again on its data: both pages reconnect by themselves', async () => {
    const started = await control('/gateway/start');
    console.log(`gateway answering again after ${started.seconds.toFixed(1)}s`);
    for (const page of Object.values(pages)) {
      await waitConnected(page, { timeout: 40_000 });
      await page.getByTestId('chat-connection-banner').waitFor({ state: 'detached', timeout: 20_000 });
    }
    for (const text of [onTheWire, whileDown]) {
      for (const page of Object.values(pages)) {
        await message(page, text).and(page.locator('[data-seq]')).waitFor({ timeout: 20_000 });
      }
    }
    await say(pages.owner, after);
    await message(pages.editor, after).and(pages.editor.locator('[data-seq]')).waitFor({ timeout: 10_000 });
  });

  step('both pages show the same history as the server, every message once', async () => {
    const [owner, editor] = await untilSame(
      pages.owner,
      async () => [await confirmedMessages(pages.owner), await confirmedMessages(pages.editor)],
      40,
    );
    assert.deepEqual(editor, owner);
    const seqs = owner.map(([seq]) => seq);
    assert.equal(new Set(seqs).size, seqs.length, 'a sequence number is shown twice');
    for (let i = 1; i < seqs.length; i += 1) assert.equal(seqs[i], seqs[i - 1] + 1, `gap after ${seqs[i - 1]}`);
    const texts = owner.map(([, text]) => text);
    for (const text of [before, onTheWire, whileDown, after]) {
      assert.equal(texts.filter((t) => t === text).length, 1, `"${text}" shown ${texts.filter((t) => t === text).length} times`);
    }
    const server = await api(`/api/rooms/${roomId}/messages?after_seq=0&limit=100`, { token: ownerToken });
    const stored = server.messages.filter((m) => m.message_type === 'text').map((m) => [m.sequence_number, m.content]);
    assert.deepEqual(owner.filter(([seq]) => stored.some(([s]) => s === seq)), stored);
    for (const text of [onTheWire, whileDown]) {
      assert.equal(stored.filter(([, t]) => t === text).length, 1, `"${text}" stored more than once`);
    }
    for (const page of Object.values(pages)) {
      assert.equal(await page.locator('[data-testid="chat-message"]:not([data-seq])').count(), 0, 'left pending');
    }
    // the message on the wire at the kill may have gone out twice — with one client_id
    const sends = sent.owner.filter((f) => f.type === 'message' && f.content === onTheWire);
    assert.ok(sends.length >= 1 && new Set(sends.map((f) => f.client_id)).size === 1, JSON.stringify(sends));
  });

  noPageErrors('no uncaught errors in either page');
}
