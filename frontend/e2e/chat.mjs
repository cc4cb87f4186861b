// End-to-end: live chat between two users (two browser contexts) against the local stack,
// including an offline period with a queued message that must arrive exactly once.
//
//   BASE_URL=http://127.0.0.1:8123 node --test e2e/chat.mjs      (npm run e2e runs every e2e file)
//
// wang.owner creates a room over the REST API and adds chen.editor as EDITOR; both open the
// room's chat; they exchange messages; chen goes offline, writes a message (shown as queued)
// while wang writes one; chen comes back online → the queued message is delivered once and both
// sides show the same ordered messages (compared by data-seq and text). Env as in rooms.mjs
// (see support.mjs).
import assert from 'node:assert/strict';
import {
  assertFitsPhone,
  composer,
  createRoomWithEditor,
  EDITOR,
  makeStamp,
  message,
  onPhone,
  OWNER,
  say,
  scenario,
  untilSame,
  waitConnected,
} from './support.mjs';

const STAMP = makeStamp();
const TITLE = `E2E 對話測試 ${STAMP}`;

const { step, openChatAsOwnerAndEditor, noPageErrors, pages, contexts, sent } = scenario({ prefix: 'chat' });
let roomId = '';
const users = {};

/** The confirmed messages on screen, in order: [seq, text] (rows rendered by the virtual list). */
async function confirmedMessages(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-testid="chat-message"][data-seq]')].map((el) => [
      Number(el.getAttribute('data-seq')),
      el.querySelector('[data-testid="message-text"]')?.textContent ?? '',
    ]),
  );
}

step(`${OWNER} creates a room over the API and adds ${EDITOR} as EDITOR`, async () => {
  const created = await createRoomWithEditor({ title: TITLE, location: 'A 廠 / Line 2' });
  roomId = created.roomId;
  Object.assign(users, created.users);
});

step('both users open the room chat with a live connection', async () => {
  await openChatAsOwnerAndEditor({ roomId, title: TITLE, history: true });
  // the system event of adding the editor is shown inline on both sides
  for (const page of Object.values(pages)) {
    await page.getByText(`${users.editor.display_name} 已加入`).waitFor();
  }
  await pages.owner.waitForFunction(
    (id) => document.querySelector('.chat-online')?.textContent?.includes(id) ?? false,
    users.editor.display_name,
  );
});

step('they exchange messages live', async () => {
  const hello = `早安，Line 2 回焊爐溫度偏高 ${STAMP}`;
  await say(pages.owner, hello);
  await message(pages.editor, hello).waitFor({ timeout: 5_000 });
  await message(pages.owner, hello).and(pages.owner.locator('[data-seq]')).waitFor({ timeout: 5_000 });

  const reply = `收到，我過去看看 ${STAMP}`;
  await say(pages.editor, reply);
  await message(pages.owner, reply).waitFor({ timeout: 5_000 });
  const own = message(pages.editor, reply);
  await own.and(pages.editor.locator('[data-seq]')).waitFor({ timeout: 5_000 });
  assert.equal(await own.getAttribute('data-own'), 'true');
});

step(`${OWNER} sees ${EDITOR} typing`, async () => {
  const box = composer(pages.editor);
  await box.pressSequentially('正在確認', { delay: 20 });
  await pages.owner.getByText(`${users.editor.display_name} 正在輸入…`).waitFor({ timeout: 5_000 });
  await box.fill('');
});

const queued = `離線時寫的訊息 ${STAMP}`;
const meanwhile = `王小明在 ${EDITOR} 離線時的訊息 ${STAMP}`;

step(`${EDITOR} goes offline and writes a message, which waits as queued`, async () => {
  const page = pages.editor;
  await contexts.editor.setOffline(true);
  await page.getByTestId('chat-connection-banner').filter({ hasText: '離線中，訊息將於連線後送出' }).waitFor();
  await say(page, queued);
  const pending = message(page, queued);
  await pending.waitFor();
  assert.equal(await pending.getAttribute('data-status'), 'queued');
  await page.getByText('等待連線後送出').waitFor();
});

step(`${OWNER} writes meanwhile; ${EDITOR} does not get it while offline`, async () => {
  await say(pages.owner, meanwhile);
  await message(pages.owner, meanwhile).and(pages.owner.locator('[data-seq]')).waitFor({ timeout: 5_000 });
  await pages.editor.waitForTimeout(500);
  assert.equal(await message(pages.editor, meanwhile).count(), 0);
  assert.equal(await message(pages.owner, queued).count(), 0);
});

step(`${EDITOR} comes back online: the queued message goes out once and the missed one arrives`, async () => {
  const page = pages.editor;
  await contexts.editor.setOffline(false);
  await waitConnected(page, { timeout: 20_000 });
  await message(page, meanwhile).waitFor({ timeout: 10_000 });
  await message(page, queued).and(page.locator('[data-seq]')).waitFor({ timeout: 10_000 });
  await message(pages.owner, queued).waitFor({ timeout: 10_000 });
  assert.equal(await page.getByTestId('chat-connection-banner').count(), 0);
  // Sent on the wire once after the reconnect.
  const sends = sent.editor.filter((f) => f.type === 'message' && f.content === queued);
  assert.equal(sends.length, 1, `the queued message was sent ${sends.length} times`);
  // The re-subscribe carried the resume point.
  const subscribes = sent.editor.filter((f) => f.type === 'subscribe' && f.room_id === roomId);
  assert.ok(subscribes.length >= 2, 'no re-subscribe after the reconnect');
  const resume = subscribes.at(-1);
  assert.equal(typeof resume.last_seq, 'number');
  assert.match(String(resume.changed_since), /^\d{4}-\d\d-\d\dT/);
});

step('both sides show the same messages in the same order, nothing twice', async () => {
  // settle: wait until the two lists agree (the last frames may still be on their way)
  const [owner, editor] = await untilSame(
    pages.owner,
    async () => [await confirmedMessages(pages.owner), await confirmedMessages(pages.editor)],
    20,
  );
  assert.deepEqual(editor, owner);
  const seqs = owner.map(([seq]) => seq);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'not in sequence order');
  assert.equal(new Set(seqs).size, seqs.length, 'a sequence number is shown twice');
  for (let i = 1; i < seqs.length; i += 1) assert.equal(seqs[i], seqs[i - 1] + 1, `gap after ${seqs[i - 1]}`);
  const texts = owner.map(([, text]) => text);
  for (const text of [queued, meanwhile]) {
    assert.equal(texts.filter((t) => t === text).length, 1, `"${text}" shown ${texts.filter((t) => t === text).length} times`);
  }
  assert.ok(texts.indexOf(meanwhile) < texts.indexOf(queued), 'the queued message should come after the one sent meanwhile');
  // nothing left pending on either side
  for (const page of Object.values(pages)) {
    assert.equal(await page.locator('[data-testid="chat-message"]:not([data-seq])').count(), 0);
  }
});

step('the chat fits a 360 px phone with the composer in view', async () => {
  const page = pages.owner;
  await onPhone(page, async () => {
    await assertFitsPhone(page);
    const box = composer(page);
    await box.scrollIntoViewIfNeeded();
    assert.ok(await box.isVisible());
  });
});

noPageErrors('no uncaught errors in either page');
