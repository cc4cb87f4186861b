import { screen, within } from '@testing-library/react';
import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import { apiError } from '@/testing/mocks/handlers';
import { responseDb } from '@/testing/mocks/response-loop';
import { server } from '@/testing/mocks/server';
import { renderApp } from '@/testing/test-utils';

describe('on-duty rosters (admin)', () => {
  it('opens a line, edits its shifts (one crossing midnight) and saves them all', async () => {
    responseDb.rosters.L3 = [{ name: '早班', start: '08:00', end: '16:00', users: ['wang.owner@plant.test'] }];
    const { user, router } = renderApp('/admin/rosters', { as: 'lin.admin' });
    await user.type(await screen.findByLabelText('產線代碼'), 'L3');
    await user.click(screen.getByRole('button', { name: '開啟' }));
    expect(router.state.location.search).toBe('?line=L3');
    expect(await screen.findByRole('heading', { name: '產線 L3 的班別' })).toBeInTheDocument();
    expect(screen.getByText('時間以工廠時區 Asia/Taipei 計算。')).toBeInTheDocument();
    const morning = screen.getByRole('group', { name: '早班' });
    expect(await within(morning).findByRole('button', { name: '移除 王小明' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: '新增班別' }));
    const night = screen.getByRole('group', { name: '第 2 班' });
    await user.type(within(night).getByLabelText('班別名稱'), '夜班');
    const start = within(night).getByLabelText('開始時間');
    const end = within(night).getByLabelText('結束時間');
    await user.clear(start);
    await user.type(start, '22:00');
    await user.clear(end);
    await user.type(end, '06:00');
    expect(screen.getByText('此班別跨越午夜，於隔天結束。')).toBeInTheDocument();
    await user.type(within(night).getByLabelText('值班人員'), '黃');
    await user.click(await within(night).findByRole('button', { name: '加入 黃技術' }));
    await user.click(screen.getByRole('button', { name: '儲存值班表' }));

    expect(await screen.findByText('已儲存。')).toBeInTheDocument();
    expect(responseDb.rosters.L3).toEqual([
      { name: '早班', start: '08:00', end: '16:00', users: ['wang.owner@plant.test'] },
      { name: '夜班', start: '22:00', end: '06:00', users: ['huang.tech@plant.test'] },
    ]);
  });

  it('checks the fields, and shows the API 400 details next to the ones named', async () => {
    const { user } = renderApp('/admin/rosters?line=L5', { as: 'lin.admin' });
    expect(await screen.findByText('此產線還沒有班別。')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '新增班別' }));
    await user.click(screen.getByRole('button', { name: '儲存值班表' }));
    expect(screen.getByLabelText('班別名稱')).toHaveAccessibleDescription('請輸入班別名稱');
    expect(screen.getByLabelText('班別名稱')).toHaveFocus();
    expect(responseDb.requests).toEqual([]);

    server.use(
      http.put('*/api/rosters/:lineId', () =>
        apiError(400, 'validation_error', 'Invalid input', {
          details: [{ field: 'shifts.0.start', message: "String should match pattern '^([01]\\d|2[0-3]):[0-5]\\d$'" }],
        }),
      ),
    );
    await user.type(screen.getByLabelText('班別名稱'), '早班');
    await user.click(screen.getByRole('button', { name: '儲存值班表' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('請修正標示的欄位後再送出。');
    expect(screen.getByLabelText('開始時間')).toHaveAccessibleDescription(/String should match pattern/);
  });

  it('refuses a line id the API would not accept', async () => {
    const { user } = renderApp('/admin/rosters', { as: 'lin.admin' });
    await user.type(await screen.findByLabelText('產線代碼'), 'Line 3');
    await user.click(screen.getByRole('button', { name: '開啟' }));
    expect(screen.getByLabelText('產線代碼')).toHaveAccessibleDescription(/產線代碼「Line 3」格式不正確/);
  });
});
