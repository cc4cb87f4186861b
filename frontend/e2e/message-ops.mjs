// End-to-end: message operations between two users (two browser contexts) against the local stack.
//
//   BASE_URL=http://127.0.0.1:8123 node --test e2e/message-ops.mjs   (npm run e2e runs every e2e file)
//
// wang.owner creates a room over the REST API with chen.editor as EDITOR. Live in the other
// context: chen edits his message, wang deletes one of his own, chen reacts 👍 to wang's other
// one. Then wang's context goes offline while chen edits again, deletes a message and adds /
// removes reactions; back online, wang's chat must show exactly the server's state (text, edited
// marker, deleted placeholder, reaction counts compared with GET /api/rooms/{id}/messages).
// Finally a search for a Chinese word finds a message and jumps to it. Env as in chat.mjs
// (see support.mjs).
import assert from 'node:assert/strict';
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

const STAMP = makeStamp();
const TITLE = `E2E 訊息操作 ${STAMP}`;

const { step, openChatAsOwnerAndEditor, noPageErrors, pages, contexts } = scenario({ prefix: 'message-ops' });
let roomId = '';
const users = {};

/** A random run of rare CJK characters: a search term no other message contains. */
const TOKEN = Array.from({ length: 4 }, () => '鑫淼焱垚犇驫掱灥毳舙'[Math.floor(Math.random() * 10)]).join('');
const text = {
  wangDelete: `王：這則會刪除 ${STAMP}`,
  wangReact: `王：請確認回焊爐${TOKEN}溫度 ${STAMP}`,
  chenEdit: `陳：溫度 85 度 ${STAMP}`,
  chenEdited: `陳：溫度 88 度（更正） ${STAMP}`,
  chenEdited2: `陳：溫度 90 度，已停機 ${STAMP}`,
  chenGone: `陳：誤傳的訊息 ${STAMP}`,
};
const tokens = {};

/** The rendered chat (confirmed rows): seq, text, edited, deleted, reactions [emoji, count]. */
async function renderedState(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('article[data-testid="chat-message"][data-seq]')].map((el) => ({
      seq: Number(el.getAttribute('data-seq')),
      text: el.querySelector('[data-testid="message-text"]')?.textContent ?? '',
      edited: el.getAttribute('data-edited') === 'true',
      deleted: el.getAttribute('data-deleted') === 'true',
      reactions: [...el.querySelectorAll('[data-testid="reaction-chip"]')]
        .map((chip) => [chip.getAttribute('data-emoji'), Number(chip.getAttribute('data-count'))])
        .sort(),
    })),
  );
}

/** The same, from GET /api/rooms/{id}/messages (text messages; system events are left out). */
async function serverState() {
  const page = await api(`/api/rooms/${roomId}/messages?limit=100`, { token: tokens.owner });
  return page.messages
    .filter((m) => m.message_type !== 'system')
    .sort((a, b) => a.sequence_number - b.sequence_number)
    .map((m) => ({
      seq: m.sequence_number,
      text: m.deleted_at ? '此訊息已刪除' : String(m.content),
      edited: Boolean(m.edited_at) && !m.deleted_at,
      deleted: Boolean(m.deleted_at),
      reactions: m.deleted_at
        ? []
        : Object.entries(m.reactions ?? {})
            .filter(([, users]) => users.length > 0)
            .map(([emoji, users]) => [emoji, users.length])
            .sort(),
    }));
}

function row(page, seq) {
  return page.locator(`article[data-testid="chat-message"][data-seq="${seq}"]`);
}

async function seqOf(page, content) {
  const el = message(page, content).and(page.locator('[data-seq]'));
  await el.waitFor({ timeout: 10_000 });
  return Number(await el.getAttribute('data-seq'));
}

async function action(page, seq, name) {
  const item = row(page, seq);
  await item.hover();
  await item.getByRole('button', { name, exact: true }).click();
}

async function edit(page, seq, content) {
  await action(page, seq, '編輯');
  const box = row(page, seq).getByRole('textbox', { name: '編輯訊息' });
  await box.fill(content);
  await box.press('Enter');
  await box.waitFor({ state: 'detached' });
}

async function remove(page, seq) {
  await action(page, seq, '刪除');
  const dialog = page.getByRole('alertdialog', { name: '刪除訊息？' });
  await dialog.getByRole('button', { name: '刪除', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
}

async function react(page, seq, label) {
  await action(page, seq, '新增回應');
  await page.getByTestId('reaction-picker').getByRole('button', { name: label, exact: true }).click();
}

function chip(page, seq, emoji) {
  return row(page, seq).locator(`[data-testid="reaction-chip"][data-emoji="${emoji}"]`);
}

const seqs = {};

step(`${OWNER} creates a room over the API and adds ${EDITOR} as EDITOR`, async () => {
  const created = await createRoomWithEditor({ title: TITLE, location: 'A 廠 / Line 3' });
  roomId = created.roomId;
  Object.assign(users, created.users);
  tokens.owner = created.owner.access_token;
});

step('both open the chat; each writes messages', async () => {
  await openChatAsOwnerAndEditor({ roomId, title: TITLE });
  await say(pages.owner, text.wangDelete);
  seqs.wangDelete = await seqOf(pages.owner, text.wangDelete);
  await say(pages.owner, text.wangReact);
  seqs.wangReact = await seqOf(pages.owner, text.wangReact);
  await say(pages.editor, text.chenEdit);
  seqs.chenEdit = await seqOf(pages.editor, text.chenEdit);
  await message(pages.owner, text.chenEdit).waitFor({ timeout: 5_000 });
  await message(pages.editor, text.wangReact).waitFor({ timeout: 5_000 });
});

step(`${EDITOR} edits his message; ${OWNER} sees the new text and the edited marker live`, async () => {
  // only own messages offer editing
  await row(pages.editor, seqs.wangReact).hover();
  assert.equal(await row(pages.editor, seqs.wangReact).getByRole('button', { name: '編輯', exact: true }).count(), 0);
  assert.equal(await row(pages.editor, seqs.wangReact).getByRole('button', { name: '刪除', exact: true }).count(), 0);
  await edit(pages.editor, seqs.chenEdit, text.chenEdited);
  const seen = row(pages.owner, seqs.chenEdit);
  await seen.getByText(text.chenEdited, { exact: true }).waitFor({ timeout: 5_000 });
  await seen.getByTestId('edited-marker').waitFor();
  assert.match(String(await seen.getByTestId('edited-marker').getAttribute('title')), /^編輯於 /);
  await row(pages.editor, seqs.chenEdit).getByTestId('edited-marker').waitFor();
});

step(`${OWNER} deletes his own message after confirming; ${EDITOR} sees the placeholder live`, async () => {
  await remove(pages.owner, seqs.wangDelete);
  for (const page of Object.values(pages)) {
    await row(page, seqs.wangDelete).getByText('此訊息已刪除', { exact: true }).waitFor({ timeout: 5_000 });
  }
  assert.equal(await message(pages.editor, text.wangDelete).count(), 0);
});

step(`${EDITOR} reacts 👍 to ${OWNER}'s message; ${OWNER} sees the chip and who reacted`, async () => {
  await react(pages.editor, seqs.wangReact, '讚');
  const seen = chip(pages.owner, seqs.wangReact, '👍');
  await seen.waitFor({ timeout: 5_000 });
  assert.equal(await seen.getAttribute('data-count'), '1');
  assert.equal(await seen.getAttribute('title'), users.editor.display_name);
  const own = chip(pages.editor, seqs.wangReact, '👍');
  await own.waitFor({ timeout: 5_000 });
  assert.equal(await own.getAttribute('aria-pressed'), 'true');
  // wang adds the same reaction by tapping the chip: 2
  await seen.click();
  await pages.editor.waitForFunction(
    (seq) => document.querySelector(`article[data-seq="${seq}"] [data-emoji="👍"]`)?.getAttribute('data-count') === '2',
    seqs.wangReact,
    { timeout: 5_000 },
  );
});

step(`${OWNER} goes offline; meanwhile ${EDITOR} edits, deletes and changes reactions`, async () => {
  await contexts.owner.setOffline(true);
  await pages.owner.getByTestId('chat-connection-banner').waitFor();
  const page = pages.editor;
  await edit(page, seqs.chenEdit, text.chenEdited2);
  await row(page, seqs.chenEdit).getByText(text.chenEdited2, { exact: true }).waitFor({ timeout: 5_000 });
  await say(page, text.chenGone);
  seqs.chenGone = await seqOf(page, text.chenGone);
  await remove(page, seqs.chenGone);
  await row(page, seqs.chenGone).getByText('此訊息已刪除', { exact: true }).waitFor({ timeout: 5_000 });
  // remove 👍 (tap the own chip), add ✅ to wang's message and ❤️ to his own
  await chip(page, seqs.wangReact, '👍').click();
  await page.waitForFunction(
    (seq) => document.querySelector(`article[data-seq="${seq}"] [data-emoji="👍"]`)?.getAttribute('data-count') === '1',
    seqs.wangReact,
    { timeout: 5_000 },
  );
  await react(page, seqs.wangReact, '完成');
  await chip(page, seqs.wangReact, '✅').waitFor({ timeout: 5_000 });
  await react(page, seqs.chenEdit, '愛心');
  await chip(page, seqs.chenEdit, '❤️').waitFor({ timeout: 5_000 });
  // the offline side has none of it yet
  assert.equal(await row(pages.owner, seqs.chenEdit).getByText(text.chenEdited2, { exact: true }).count(), 0);
});

step(`${OWNER} comes back online and shows exactly the server's state`, async () => {
  const page = pages.owner;
  await contexts.owner.setOffline(false);
  await waitConnected(page, { timeout: 20_000 });
  const [rendered, server] = await untilSame(page, async () => [await renderedState(page), await serverState()], 40);
  assert.deepEqual(rendered, server);
  const bySeq = Object.fromEntries(server.map((m) => [m.seq, m]));
  assert.equal(bySeq[seqs.chenEdit].text, text.chenEdited2);
  assert.equal(bySeq[seqs.chenEdit].edited, true);
  assert.equal(bySeq[seqs.chenGone].deleted, true);
  assert.deepEqual(bySeq[seqs.wangReact].reactions, [['✅', 1], ['👍', 1]].sort());
  assert.deepEqual(bySeq[seqs.chenEdit].reactions, [['❤️', 1]]);
  // the editor's side agrees too
  assert.deepEqual(await renderedState(pages.editor), server);
});

step(`${OWNER} searches for a Chinese word and jumps to the message`, async () => {
  const page = pages.owner;
  await page.getByRole('link', { name: '搜尋', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: '搜尋訊息' }).waitFor();
  await page.getByLabel('關鍵字', { exact: true }).fill(TOKEN);
  await page.getByRole('button', { name: '搜尋', exact: true }).click();
  const result = page.getByTestId('search-result');
  await result.first().waitFor({ timeout: 10_000 });
  assert.equal(await result.count(), 1);
  assert.equal(await result.locator('mark').first().textContent(), TOKEN);
  await result.getByText(TITLE).waitFor();
  await result.getByRole('link').click();
  await page.waitForURL((url) => url.pathname === `/rooms/${roomId}` && url.searchParams.get('focus') === String(seqs.wangReact));
  const focused = page.locator('article[data-focused="true"]');
  await focused.waitFor({ timeout: 10_000 });
  assert.equal(await focused.getAttribute('data-seq'), String(seqs.wangReact));
  assert.ok(await focused.isVisible());
});

step(`${OWNER} sees the edits and the deletions in the audit log`, async () => {
  const page = pages.owner;
  await page.getByRole('link', { name: '稽核紀錄', exact: true }).click();
  await page.getByRole('heading', { level: 2, name: '稽核紀錄' }).waitFor();
  const entries = page.getByTestId('audit-entry');
  await entries.first().waitFor();
  assert.equal(await entries.count(), 4); // 2 edits, 2 deletions
  await entries.filter({ hasText: text.chenEdited2 }).first().waitFor();
  await entries.filter({ hasText: text.wangDelete }).first().waitFor();
});

noPageErrors('no uncaught errors in either page');
