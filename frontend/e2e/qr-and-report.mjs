// End-to-end: a station's QR code on a phone, and a member downloading the room's PDF report.
//
//   BASE_URL=http://127.0.0.1:8123 node --test e2e/qr-and-report.mjs   (npm run e2e runs every e2e file)
//
// The administrator's QR sheet of line L3 (the development plant) carries a code for station
// RF-03, which encodes /rooms/new?line_id=L3&station_id=RF-03. A phone-sized context (390 × 844,
// touch) opens that URL without a session: login first, then the create-room dialog with the line
// and station filled in; the user names the incident, creates the room and sends a first message
// (the time from opening the URL after login to the confirmed message is printed). Then the same
// member downloads the room's PDF report: a real PDF with an embedded font.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { apiLogin, BASE_URL, makeStamp, message, PASSWORD, say, scenario, USERNAME, waitConnected } from './support.mjs';

const STAMP = makeStamp();
const TITLE = `E2E 掃碼報修 ${STAMP}`;
const FIRST = `RF-03 爐溫偏高，已暫停進板 ${STAMP}`;
const STATION_PATH = '/rooms/new?line_id=L3&station_id=RF-03';

const { step, newPage, noPageErrors } = scenario({
  prefix: 'qr',
  contextOptions: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, acceptDownloads: true },
});

/** @type {import('playwright-core').Page} */
let page;

step('the administrator’s QR sheet of line L3 has a code for station RF-03', async () => {
  const admin = await apiLogin('lin.admin');
  const response = await fetch(`${BASE_URL}/api/plant/lines/L3/qr-sheet`, {
    headers: { Accept: 'image/svg+xml', Authorization: `Bearer ${admin.access_token}` },
  });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^image\/svg\+xml/);
  const svg = await response.text();
  assert.match(svg, /data-station-id="RF-03"/);
  const member = await apiLogin(USERNAME);
  const refused = await fetch(`${BASE_URL}/api/plant/lines/L3/qr-sheet`, {
    headers: { Authorization: `Bearer ${member.access_token}` },
  });
  assert.equal(refused.status, 403, 'only administrators print QR sheets');
});

step('a phone opens the station URL, logs in and lands in the pre-filled create-room dialog', async () => {
  page = await newPage('phone');
  await page.goto(`${BASE_URL}${STATION_PATH}`);
  await page.waitForURL((url) => url.pathname === '/login');
  await page.getByLabel('帳號', { exact: true }).fill(USERNAME);
  await page.getByLabel('密碼', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: '登入', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: '新增事件' });
  await dialog.waitFor();
  assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, STATION_PATH);
  await dialog.getByRole('option', { name: 'RF-03 回焊爐 Reflow oven' }).waitFor({ state: 'attached' });
  assert.equal(await dialog.getByLabel('產線', { exact: true }).inputValue(), 'L3');
  assert.equal(await dialog.getByLabel('站別', { exact: true }).inputValue(), 'RF-03');
});

step('the user names the incident, opens the room and sends a first message', async () => {
  const started = Date.now();
  const dialog = page.getByRole('dialog', { name: '新增事件' });
  await dialog.getByLabel(/^標題/).fill(TITLE);
  await dialog.getByLabel(/^類型/).selectOption({ index: 1 });
  await dialog.getByRole('button', { name: '建立事件' }).click();
  await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  await waitConnected(page);
  await say(page, FIRST);
  await message(page, FIRST).waitFor();
  // confirmed: the server's ack gave it a sequence number
  await page.waitForFunction(
    (text) =>
      [...document.querySelectorAll('[data-testid="chat-message"][data-seq]')].some((el) =>
        el.querySelector('[data-testid="message-text"]')?.textContent?.includes(text),
      ),
    FIRST,
  );
  console.log(`# scan (logged in) → first message: ${Date.now() - started} ms (including typing the title)`);
  assert.match(await page.getByText('Line 3 回焊 Reflow', { exact: false }).first().innerText(), /Line 3/);
});

step('a member downloads the room’s PDF report', async () => {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '下載報告 PDF' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^incident-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.pdf$/);
  const bytes = await readFile(await download.path());
  assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.ok(bytes.includes('/FontFile'), 'the PDF embeds its font');
  assert.equal(await page.getByRole('alert').count(), 0);
});

noPageErrors('no page errors on the phone');
