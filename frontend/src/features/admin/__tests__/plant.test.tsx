import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import i18n from '@/lib/i18n';
import { plantDb } from '@/testing/mocks/plant-db';
import { parseCsv, plantFromCsv } from '@/testing/mocks/plant';
import { renderApp } from '@/testing/test-utils';

async function openPlantPage() {
  const utils = renderApp('/admin/plant', { as: 'lin.admin' });
  expect(await screen.findByRole('heading', { level: 2, name: '廠區結構' })).toBeInTheDocument();
  await screen.findByText('黏晶 L1');
  return utils;
}

const tree = () => screen.getByRole('list', { name: '目前的廠區結構' });

describe('plant (admin)', () => {
  it('is for administrators only', async () => {
    renderApp('/admin/plant', { authenticated: true });
    expect(await screen.findByText('只有系統管理員可以使用此頁面。')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '匯入並取代' })).not.toBeInTheDocument();
  });

  it('is linked next to the other admin pages and shows the tree with ids and the retired note', async () => {
    const { user } = renderApp('/admin/policies', { as: 'lin.admin' });
    const nav = await screen.findByRole('navigation', { name: '管理頁面' });
    expect(within(nav).getAllByRole('link').map((link) => link.textContent)).toEqual(['升級規則', '值班表', '廠區結構', '異常代碼', '整合金鑰', 'Webhook', '站別 QR 碼']);
    await user.click(within(nav).getByRole('link', { name: '廠區結構' }));
    await screen.findByText('黏晶 L1');
    expect(screen.getByRole('note')).toHaveTextContent('不會刪除');
    expect(tree()).toHaveTextContent('A 廠');
    expect(tree()).toHaveTextContent('前段');
    expect(tree()).toHaveTextContent('L-DB1');
    expect(tree()).toHaveTextContent('黏晶機 2');
    expect(screen.getByText('1 個廠區、2 個區域、4 條產線、4 個站別')).toBeInTheDocument();
    // breadcrumb
    expect(screen.getByRole('navigation', { name: i18n.t('nav.breadcrumbs') })).toHaveTextContent('廠區結構');
  });

  it('posts pasted CSV as text/csv and lists the rows the API refused', async () => {
    const { user } = await openPlantPage();
    await user.click(screen.getByLabelText('或貼上 CSV 內容'));
    await user.paste('site,area,line,station\nA 廠,前段,黏晶 L1,DB-01\nA 廠,前段\n,前段,黏晶 L1,DB-03\n');
    await user.click(screen.getByRole('button', { name: '匯入並取代' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('匯入失敗，沒有任何變更（2 bad row(s) in the CSV）');
    const rows = within(alert).getAllByRole('listitem').map((item) => item.textContent);
    expect(rows).toEqual(['第 3 列：expected 4 columns, got 2', '第 4 列：site, area and line are required']);
    expect(plantDb.requests[0]).toMatchObject({ method: 'POST', path: '/api/plant/import' });
    expect(plantDb.requests[0]!.contentType).toMatch(/^text\/csv/);
    // nothing changed
    expect(tree()).toHaveTextContent('焊線 L2');
    // the pasted text stays for fixing
    expect(screen.getByLabelText('或貼上 CSV 內容')).toHaveValue(
      'site,area,line,station\nA 廠,前段,黏晶 L1,DB-01\nA 廠,前段\n,前段,黏晶 L1,DB-03\n',
    );
  });

  it('names a wrong header as row 1', async () => {
    const { user } = await openPlantPage();
    await user.click(screen.getByLabelText('或貼上 CSV 內容'));
    await user.paste('廠區,區域,產線,站別\nA,B,C,D');
    await user.click(screen.getByRole('button', { name: '匯入並取代' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('第 1 列：expected site,area,line,station');
  });

  it('imports a CSV file with a BOM as its bytes and shows the new tree', async () => {
    const { user } = await openPlantPage();
    const csv = '\uFEFFsite,area,line,station\nB 廠,後段,測試 L9,T-01\nB 廠,後段,測試 L9,T-02\n';
    const file = new File([new TextEncoder().encode(csv)], 'plant.csv', { type: 'text/csv' });
    await user.upload(screen.getByLabelText('CSV 檔案'), file);
    expect(screen.getByText('將匯入檔案「plant.csv」（貼上的內容不會使用）。')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '匯入並取代' }));

    expect(await screen.findByText('已匯入：1 個廠區、1 個區域、1 條產線、2 個站別。')).toBeInTheDocument();
    expect(plantDb.requests[0]!.body).toBe('site,area,line,station\nB 廠,後段,測試 L9,T-01\nB 廠,後段,測試 L9,T-02\n');
    await waitFor(() => expect(tree()).toHaveTextContent('測試 L9'));
    // the old nodes are retired, not listed
    expect(tree()).not.toHaveTextContent('黏晶 L1');
    expect(plantDb.sites.find((site) => site.site_id === 'S-A')).toMatchObject({ retired: true });
  });

  it('lets the server refuse a file that is not UTF-8', async () => {
    const { user } = await openPlantPage();
    const file = new File([new Uint8Array([0xad, 0xba, 0xb0, 0xcf, 0x2c, 0x0a])], 'big5.csv', { type: 'text/csv' });
    await user.upload(screen.getByLabelText('CSV 檔案'), file);
    await user.click(screen.getByRole('button', { name: '匯入並取代' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('檔案：not UTF-8');
  });

  it('asks for a file or text before sending', async () => {
    const { user } = await openPlantPage();
    await user.click(screen.getByRole('button', { name: '匯入並取代' }));
    expect(screen.getByLabelText('或貼上 CSV 內容')).toHaveAccessibleDescription('請選擇 CSV 檔案或貼上內容。');
    expect(plantDb.requests).toHaveLength(0);
  });
});

describe('the mock CSV import (mirrors chalicelib/plant/service.py)', () => {
  it('parses quoted fields and CRLF like csv.reader', () => {
    expect(parseCsv('a,"b,c",d\r\n"e ""x""",,\n\n')).toEqual([['a', 'b,c', 'd'], ['e "x"', '', ''], []]);
  });

  it('keeps ids of nodes that keep their names', () => {
    const result = plantFromCsv('site,area,line,station\nA 廠,前段,黏晶 L1,黏晶機 1\n');
    expect(result).toMatchObject({
      sites: [{ site_id: 'S-A', areas: [{ area_id: 'A-FOL', lines: [{ line_id: 'L-DB1', stations: [{ station_id: 'DB-01' }] }] }] }],
    });
  });
});
