import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Pareto, Summary } from '@/features/reports/types';
import { lastDays, rangeProblem, weeksOf } from '@/features/reports/utils/range';
import { apiError, caller, requireAuth } from '@/testing/mocks/handlers';
import { server } from '@/testing/mocks/server';
import { renderApp } from '@/testing/test-utils';

const spread = (median: number) => ({ median, mean: median, p90: median * 2 });
const figures = (count: number) => ({
  count, acknowledged: count, resolved: count, false_alarms: 1, mtta_s: spread(120), mttr_s: spread(3600), downtime_minutes: 90,
});

let requests: URL[] = [];

beforeEach(() => {
  requests = [];
  server.use(
    http.get('*/api/reports/summary', ({ request }) => {
      const denied = requireAuth(request);
      if (denied) return denied;
      if (!caller(request).is_admin) return apiError(403, 'forbidden', 'Only administrators read reports');
      const url = new URL(request.url);
      requests.push(url);
      const group = url.searchParams.get('group_by');
      const rows = group === 'root_cause'
        ? [{ key: 'HEATER', label: '加熱器', ...figures(7) }, { key: '', label: '未指定 Unspecified', ...figures(2) }]
        : [{ key: 'L1', label: '黏晶一線', ...figures(15) }];
      return HttpResponse.json({ rows, totals: figures(rows.reduce((n, r) => n + r.count, 0)) } satisfies Summary);
    }),
    http.get('*/api/reports/pareto', ({ request }) => {
      const url = new URL(request.url);
      requests.push(url);
      return HttpResponse.json({
        rows: [
          { key: 'HEATER', label: '加熱器', value: 7, pct: 70, cumulative_pct: 70 },
          { key: 'SENSOR', label: '感測器', value: 3, pct: 30, cumulative_pct: 100 },
        ],
      } satisfies Pareto);
    }),
    http.get('*/api/reports/incidents.csv', ({ request }) => {
      requests.push(new URL(request.url));
      return new HttpResponse('\ufeffroom_id,title\r\nr1,回焊爐\r\n', { headers: { 'Content-Type': 'text/csv; charset=utf-8' } });
    }),
  );
});

describe('report ranges', () => {
  it('names the problem of a range the API would refuse', () => {
    expect(rangeProblem({ from: '2026-11-30', to: '2026-11-01' })).toBe('order');
    expect(rangeProblem({ from: '2016-01-01', to: '2026-01-01' })).toBe('tooLong');
    expect(rangeProblem({ from: 'x', to: '2026-01-01' })).toBe('invalid');
    expect(rangeProblem(lastDays(28, new Date(2026, 10, 30)))).toBeNull();
    expect(lastDays(7, new Date(2026, 10, 30))).toEqual({ from: '2026-11-24', to: '2026-11-30' });
  });

  it('cuts a range into weeks ending at its last day', () => {
    expect(weeksOf({ from: '2026-11-01', to: '2026-11-16' })).toEqual([
      { from: '2026-11-01', to: '2026-11-07' },
      { from: '2026-11-08', to: '2026-11-14' },
      { from: '2026-11-15', to: '2026-11-16' },
    ]);
    expect(weeksOf({ from: '2026-01-01', to: '2026-12-31' })).toHaveLength(26);
  });
});

describe('reports page', () => {
  it('is for administrators only', async () => {
    renderApp('/reports', { authenticated: true });
    expect(await screen.findByText('只有系統管理員與報表群組成員可以查看報表。')).toBeInTheDocument();
    expect(requests).toEqual([]);
  });

  it('shows the summary, switches grouping to root cause with its Pareto chart, and downloads the CSV', { timeout: 20_000 }, async () => {
    const created = vi.fn(() => 'blob:csv');
    URL.createObjectURL = created as unknown as typeof URL.createObjectURL;
    URL.revokeObjectURL = vi.fn();
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const { user } = renderApp('/reports', { as: 'lin.admin' });
    expect(await screen.findByRole('heading', { level: 1, name: '異常報表' })).toBeInTheDocument();
    const table = await screen.findByRole('table', { name: '依產線統計（時間單位：分鐘）' });
    expect(within(table).getByRole('rowheader', { name: '黏晶一線' })).toBeInTheDocument();
    expect(within(table).getAllByRole('cell').map((c) => c.textContent).slice(0, 5)).toEqual(['15', '1', '2.0', '2.0', '4.0']);

    await user.selectOptions(screen.getByLabelText('分組'), 'root_cause');
    expect(await screen.findByRole('rowheader', { name: '加熱器' })).toBeInTheDocument();
    const chart = await screen.findByRole('img', { name: '根本原因柏拉圖（長條：數值，折線：累計百分比）' });
    expect(within(chart).getAllByTestId('pareto-bar')).toHaveLength(2);
    expect(requests.some((u) => u.pathname.endsWith('/pareto') && u.searchParams.get('by') === 'root_cause')).toBe(true);
    expect(screen.getByRole('img', { name: '每週 MTTA 與 MTTR 中位數（分鐘）' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: '下載 CSV' }));
    await waitFor(() => expect(created).toHaveBeenCalled());
    expect(clicked).toHaveBeenCalled();
    clicked.mockRestore();
    const csv = requests.find((u) => u.pathname.endsWith('/incidents.csv'));
    expect(csv?.searchParams.get('from')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('explains a reversed range instead of asking the API', async () => {
    const { user } = renderApp('/reports', { as: 'lin.admin' });
    await screen.findByRole('table');
    requests = [];
    const from = screen.getByLabelText('開始日期');
    await user.clear(from);
    await user.type(from, '2099-01-01');
    expect(await screen.findByText('結束日期不可早於開始日期。')).toBeInTheDocument();
    expect(requests).toEqual([]);
  });
});
