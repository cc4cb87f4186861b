// End-to-end: reports (issue 13) — an administrator opens the reports page, groups by root cause,
// sees the Pareto chart and downloads the incidents CSV; a member of the report group reads
// reports too, and a plain member is told they may not.
//
//   BASE_URL=http://127.0.0.1:8123 node --test e2e/reports.mjs   (npm run e2e runs every e2e file)
//
// Setup over the API: an event code of this run with two root causes, and a room with that code
// resolved with one of them, so today's report has a row for the root cause.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { api, apiLogin, BASE_URL, login, makeStamp, OWNER, scenario } from './support.mjs';

const STAMP = makeStamp();
const CODE = `E-E2E-${STAMP.replace(/[^A-Za-z0-9]/g, '').slice(-12)}`;
const CAUSE = `${CODE}-RELAY`;
const CAUSE_NAME = `加熱繼電器故障 ${STAMP}`;
const TITLE = `E2E 報表 ${STAMP}`;
/** Yesterday to tomorrow (UTC dates): the room's plant day (Asia/Taipei) is inside whatever the hour. */
const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const FROM = day(-1);
const TO = day(1);

const { step, newPage, noPageErrors } = scenario({ prefix: 'reports', contextOptions: { acceptDownloads: true } });

/** @type {import('playwright-core').Page} */
let page;

step('setup: an event code with root causes and a room resolved with one of them', async () => {
  const admin = await apiLogin('lin.admin');
  await api('/api/event-codes', {
    token: admin.access_token,
    method: 'POST',
    body: {
      code: CODE,
      name: `E2E 爐溫過高 ${STAMP}`,
      incident_type: 'equipment_failure',
      default_severity: 'high',
      root_causes: [
        { code: CAUSE, name: CAUSE_NAME },
        { code: `${CODE}-TC`, name: `熱電偶 ${STAMP}` },
      ],
    },
  });
  const owner = await apiLogin(OWNER);
  const room = await api('/api/rooms', { token: owner.access_token, method: 'POST', body: { title: TITLE, event_code: CODE } });
  assert.equal(room.severity, 'high', 'the event code pre-fills the severity');
  await api(`/api/rooms/${room.room_id}`, {
    token: owner.access_token,
    method: 'PATCH',
    body: { status: 'resolved', resolution_note: '更換繼電器', root_cause_code: CAUSE, downtime_minutes: 12 },
  });
  // the summary reads the daily rollup, kept from the rooms stream: wait until it has the room
  const query = `/api/reports/summary?from=${FROM}&to=${TO}&group_by=root_cause`;
  for (let waited = 0; ; waited += 200) {
    const { rows } = await api(query, { token: admin.access_token });
    if (rows.some((row) => row.key === CAUSE)) break;
    assert.ok(waited < 15_000, 'the resolved room reaches the report within 15 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
});

step('the administrator groups by root cause, sees the Pareto chart and downloads the CSV', async () => {
  page = await newPage('admin');
  await login(page, 'lin.admin');
  await page.getByRole('link', { name: '報表' }).first().click();
  await page.getByRole('heading', { level: 1, name: '異常報表' }).waitFor();
  await page.getByLabel('開始日期').fill(FROM);
  await page.getByLabel('結束日期').fill(TO);
  await page.getByLabel('分組').selectOption('root_cause');
  await page.getByRole('rowheader', { name: new RegExp(`${CAUSE_NAME}|${CAUSE}`) }).waitFor();
  const chart = page.getByRole('img', { name: /根本原因柏拉圖/ });
  await chart.waitFor();
  assert.ok((await chart.locator('rect').count()) >= 1, 'the Pareto chart has bars');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '下載 CSV' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), `incidents_${FROM}_${TO}.csv`);
  const bytes = await readFile(await download.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with BOM (Excel opens Chinese)');
  const text = bytes.subarray(3).toString('utf8');
  const row = text.split(/\r?\n/).find((line) => line.includes(TITLE));
  assert.ok(row, 'the room is a row of the CSV');
  assert.ok(row.includes(CAUSE), 'with its root cause');
});

step('a member of the report group reads reports; a plain member is told they may not', async () => {
  const supervisor = await apiLogin('tsai.supervisor');
  assert.equal(supervisor.user.can_read_reports, true);
  const range = `from=${FROM}&to=${TO}`;
  const ok = await fetch(`${BASE_URL}/api/reports/summary?${range}&group_by=root_cause`, {
    headers: { Authorization: `Bearer ${supervisor.access_token}` },
  });
  assert.equal(ok.status, 200);
  const member = await apiLogin(OWNER);
  const refused = await fetch(`${BASE_URL}/api/reports/summary?${range}&group_by=root_cause`, {
    headers: { Authorization: `Bearer ${member.access_token}` },
  });
  assert.equal(refused.status, 403);
  const plain = await newPage('member');
  await login(plain, OWNER);
  assert.equal(await plain.getByRole('link', { name: '報表', exact: true }).count(), 0, 'no Reports link for a plain member');
  await plain.goto(`${BASE_URL}/reports`);
  await plain.getByText('只有系統管理員與報表群組成員可以查看報表。').waitFor();
});

noPageErrors('reports');
