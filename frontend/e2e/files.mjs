// End-to-end: an image uploaded in the chat reaches the other user live (two browser contexts).
//
//   BASE_URL=http://127.0.0.1:8123 node --test e2e/files.mjs      (npm run e2e runs every e2e file)
//
// wang.owner creates a room over the REST API and adds chen.editor as EDITOR; both open the chat;
// chen drops a PNG named "回焊爐溫度.png" (made here, valid, so the server's magic-byte check and
// thumbnail pass) onto the chat, watches the progress, adds a caption and sends it; wang sees the
// thumbnail appear live, opens the full image in the viewer and downloads it: the download keeps
// the Chinese filename (Content-Disposition of the presigned URL, on the bucket's own origin).
// Then wang finds it on the room's files page, deletes it, and the chat shows "檔案已刪除".
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import {
  assertFitsPhone,
  BASE_URL,
  createRoomWithEditor,
  EDITOR,
  imageLoaded,
  makeStamp,
  onPhone,
  OWNER,
  scenario,
} from './support.mjs';

const STAMP = makeStamp();
const TITLE = `E2E 檔案測試 ${STAMP}`;
const FILENAME = '回焊爐溫度.png';
const CAPTION = `3 號回焊爐溫度曲線 ${STAMP}`;

const { step, openChatAsOwnerAndEditor, noPageErrors, pages, sent } = scenario({
  prefix: 'files',
  contextOptions: { acceptDownloads: true },
});
let roomId = '';
const users = {};

// ---- a small valid PNG (RGB gradient), built with zlib: no image library needed ----------
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
function makePng(width, height) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const rows = [];
  for (let y = 0; y < height; y += 1) {
    const row = Buffer.alloc(1 + width * 3); // filter 0
    for (let x = 0; x < width; x += 1) {
      row[1 + x * 3] = Math.round((x / width) * 255);
      row[2 + x * 3] = Math.round((y / height) * 255);
      row[3 + x * 3] = 120;
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
const PNG = makePng(480, 320);

step(`${OWNER} creates a room over the API and adds ${EDITOR} as EDITOR`, async () => {
  const created = await createRoomWithEditor({ title: TITLE, location: 'A 廠 / Line 3' });
  roomId = created.roomId;
  Object.assign(users, created.users);
});

step('both users open the room chat with a live connection', async () => {
  await openChatAsOwnerAndEditor({ roomId, title: TITLE, history: true });
  await pages.editor.getByRole('button', { name: '附加檔案' }).waitFor();
});

step(`${EDITOR} drops "${FILENAME}" onto the chat, sees the progress, and sends it with a caption`, async () => {
  const page = pages.editor;
  // A real drag from the desktop cannot be scripted: the same DragEvents with a DataTransfer
  // holding the file are dispatched on the chat area.
  await page.evaluate(
    ({ base64, name }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name, { type: 'image/png' }));
      window.__e2eTransfer = transfer;
      const zone = document.querySelector('.chat-main');
      for (const type of ['dragenter', 'dragover']) {
        zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
      }
    },
    { base64: PNG.toString('base64'), name: FILENAME },
  );
  await page.getByTestId('drop-overlay').filter({ hasText: '放開以上傳檔案' }).waitFor();
  await page.evaluate(() => {
    const zone = document.querySelector('.chat-main');
    zone.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: window.__e2eTransfer }));
  });
  await page.getByTestId('drop-overlay').waitFor({ state: 'detached' });
  const item = page.getByTestId('upload-item').filter({ hasText: FILENAME });
  await item.waitFor();
  const bar = item.getByRole('progressbar', { name: `${FILENAME} 上傳進度` });
  await bar.waitFor();
  await page.waitForFunction(
    () => document.querySelector('[data-testid="upload-item"]')?.getAttribute('data-status') === 'ready',
    undefined,
    { timeout: 20_000 },
  );
  assert.equal(await bar.getAttribute('aria-valuenow'), '100');
  await item.getByRole('textbox', { name: `${FILENAME} 的說明` }).fill(CAPTION);
  await item.getByRole('button', { name: `傳送 ${FILENAME}` }).click();
  await page.getByTestId('upload-item').waitFor({ state: 'detached' });
  const frame = sent.editor.find((f) => f.type === 'message' && f.message_type === 'image_ref');
  assert.ok(frame, 'no image_ref message frame was sent');
  assert.equal(frame.content, CAPTION);
  assert.match(frame.file_id, /^[0-9a-f-]{36}$/);
  // own message confirmed, with its thumbnail
  const own = page.locator('[data-testid="chat-message"][data-seq]').filter({ hasText: CAPTION });
  await own.waitFor({ timeout: 10_000 });
  const width = await imageLoaded(own.getByRole('button', { name: `開啟圖片 ${FILENAME}` }).locator('img'));
  assert.ok(width > 0);
});

step(`${OWNER} sees the thumbnail appear live and opens the full image`, async () => {
  const page = pages.owner;
  const row = page.locator('[data-testid="chat-message"]').filter({ hasText: CAPTION });
  await row.waitFor({ timeout: 10_000 });
  const thumb = row.getByRole('button', { name: `開啟圖片 ${FILENAME}` });
  const thumbWidth = await imageLoaded(thumb.locator('img'));
  assert.ok(thumbWidth > 0 && thumbWidth <= 320, `thumbnail is ${thumbWidth}px wide`);
  await thumb.click();
  const dialog = page.getByRole('dialog', { name: FILENAME });
  await dialog.waitFor();
  const fullWidth = await imageLoaded(dialog.getByTestId('viewer-image'));
  assert.equal(fullWidth, 480);
});

step(`${OWNER} downloads it: the original Chinese filename is kept`, async () => {
  const page = pages.owner;
  const dialog = page.getByRole('dialog', { name: FILENAME });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('link', { name: '下載' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), FILENAME);
  const path = await download.path();
  assert.ok(path, 'download not saved');
  const { readFileSync } = await import('node:fs');
  assert.deepEqual(readFileSync(path), PNG);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
});

step(`${OWNER} finds it on the files page and deletes it; the chat shows "檔案已刪除"`, async () => {
  const page = pages.owner;
  await page.getByRole('link', { name: '檔案', exact: true }).first().click();
  await page.getByRole('heading', { level: 2, name: '檔案' }).waitFor();
  const row = page.getByTestId('file-row').filter({ hasText: FILENAME });
  await row.waitFor();
  assert.match(await row.textContent(), new RegExp(users.editor.display_name));
  await page.getByRole('button', { name: '文件', exact: true }).click();
  await page.getByTestId('files-empty').waitFor();
  await page.getByRole('button', { name: '全部', exact: true }).click();
  await row.waitFor();
  await row.getByRole('button', { name: `刪除 ${FILENAME}` }).click();
  const confirm = page.getByRole('alertdialog', { name: '刪除檔案？' });
  await confirm.getByRole('button', { name: '刪除', exact: true }).click();
  await page.getByTestId('files-empty').waitFor();
  await page.getByRole('link', { name: '對話', exact: true }).first().click();
  const message = page.locator('[data-testid="chat-message"]').filter({ hasText: CAPTION });
  await message.getByTestId('file-deleted').waitFor({ timeout: 10_000 });
});

step('the files page and the chat fit a 360 px phone; touch targets are at least 44 px', async () => {
  const page = pages.editor;
  await onPhone(page, async () => {
    for (const path of [`/rooms/${roomId}/files`, `/rooms/${roomId}`]) {
      await page.goto(`${BASE_URL}${path}`);
      await page.getByRole('button', { name: path.endsWith('files') ? '上傳檔案' : '附加檔案' }).waitFor();
      await assertFitsPhone(page, path);
      const small = await page.evaluate(() =>
        [...document.querySelectorAll('.file-picker-button, .files-filter .button, .files-actions .button')]
          .map((el) => el.getBoundingClientRect())
          .filter((r) => r.width > 0 && (r.height < 44 || r.width < 44)).length,
      );
      assert.equal(small, 0, `${small} file controls smaller than 44 px on ${path}`);
    }
  });
});

noPageErrors('no uncaught errors in either page');
