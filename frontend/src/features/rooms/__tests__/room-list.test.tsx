import { screen, within } from '@testing-library/react';
import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import i18n from '@/lib/i18n';
import { db, makeRoom } from '@/testing/mocks/db';
import { apiError } from '@/testing/mocks/handlers';
import { server } from '@/testing/mocks/server';
import { renderApp } from '@/testing/test-utils';

/** Records the query strings of GET /api/rooms without changing the answer. */
function recordRoomQueries(): URLSearchParams[] {
  const seen: URLSearchParams[] = [];
  server.events.on('request:start', ({ request }) => {
    const url = new URL(request.url);
    if (url.pathname === '/api/rooms') seen.push(url.searchParams);
  });
  return seen;
}

describe('room list', () => {
  it('shows the empty state when there are no incidents', async () => {
    renderApp('/rooms', { authenticated: true });
    expect(await screen.findByText('目前沒有事件')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '載入更多' })).not.toBeInTheDocument();
  });

  it('shows the English empty state', async () => {
    await i18n.changeLanguage('en');
    renderApp('/rooms', { authenticated: true });
    expect(await screen.findByText('No incidents yet')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: 'Incidents' })).toBeInTheDocument();
  });

  it('renders rooms with title, severity text, status, type, location and last activity', async () => {
    db.rooms.push(
      makeRoom({
        title: 'Line 3 溫度異常',
        severity: 'critical',
        status: 'active',
        location: 'Plant A / Line 3',
        last_activity_at: '2025-11-17T10:00:00.000Z',
      }),
    );
    renderApp('/rooms', { authenticated: true });
    const list = await screen.findByRole('list', { name: '事件' });
    const item = within(list).getByRole('link', { name: /Line 3 溫度異常/ });
    expect(within(item).getByText('嚴重度：緊急')).toHaveAttribute('data-severity', 'critical');
    expect(within(item).getByText('嚴重度：緊急')).toHaveClass('severity-critical');
    expect(within(item).getByText('處理中')).toBeInTheDocument();
    expect(within(item).getByText('設備故障')).toBeInTheDocument();
    expect(within(item).getByText('Plant A / Line 3')).toBeInTheDocument();
    expect(within(item).getByText('3 位成員')).toBeInTheDocument();
    const time = item.querySelector('time');
    expect(time).toHaveAttribute('datetime', '2025-11-17T10:00:00.000Z');
    expect(time?.textContent).toMatch(/2025/);
    expect(item).toHaveAttribute('href', `/rooms/${db.rooms[0]!.room_id}`);
  });

  it('asks for 20 rooms at a time', async () => {
    const seen = recordRoomQueries();
    renderApp('/rooms', { authenticated: true });
    await screen.findByText('目前沒有事件');
    expect(seen[0]?.get('limit')).toBe('20');
    expect(seen[0]?.has('cursor')).toBe(false);
  });

  it('filters by status, type and severity through the query string', async () => {
    db.rooms.push(
      makeRoom({ title: 'Active high', status: 'active', severity: 'high' }),
      makeRoom({ title: 'Resolved quality', status: 'resolved', incident_type: 'quality_issue', severity: 'low' }),
    );
    const seen = recordRoomQueries();
    const { user, router } = renderApp('/rooms', { authenticated: true });
    await screen.findByText('Active high');

    await user.selectOptions(screen.getByLabelText('狀態'), 'resolved');
    expect(await screen.findByText('Resolved quality')).toBeInTheDocument();
    await screen.findByText(
      (_, element) => element?.tagName === 'UL' && !element.textContent?.includes('Active high'),
    );
    expect(seen.at(-1)?.get('status')).toBe('resolved');

    await user.selectOptions(screen.getByLabelText('類型'), 'quality_issue');
    await user.selectOptions(screen.getByLabelText('嚴重度'), 'low');
    await screen.findByText('Resolved quality');
    const last = seen.at(-1)!;
    expect(last.get('incident_type')).toBe('quality_issue');
    expect(last.get('severity')).toBe('low');
    expect(router.state.location.search).toContain('status=resolved');
  });

  it('searches with q and shows a filtered empty state', async () => {
    db.rooms.push(makeRoom({ title: '封裝線 缺料' }), makeRoom({ title: 'Oven alarm' }));
    const seen = recordRoomQueries();
    const { user } = renderApp('/rooms', { authenticated: true });
    await screen.findByText('Oven alarm');

    await user.type(screen.getByRole('searchbox', { name: '搜尋事件' }), '缺料');
    await user.click(screen.getByRole('button', { name: '搜尋' }));
    expect(await screen.findByText('封裝線 缺料')).toBeInTheDocument();
    expect(screen.queryByText('Oven alarm')).not.toBeInTheDocument();
    expect(seen.at(-1)?.get('q')).toBe('缺料');

    await user.clear(screen.getByRole('searchbox', { name: '搜尋事件' }));
    await user.type(screen.getByRole('searchbox', { name: '搜尋事件' }), 'nothing-matches{Enter}');
    expect(await screen.findByText('沒有符合條件的事件')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: '清除篩選' }));
    expect(await screen.findByText('Oven alarm')).toBeInTheDocument();
  });

  it('reads the filters from the URL', async () => {
    db.rooms.push(makeRoom({ title: 'Critical one', severity: 'critical' }), makeRoom({ title: 'Low one', severity: 'low' }));
    renderApp('/rooms?severity=critical', { authenticated: true });
    expect(await screen.findByText('Critical one')).toBeInTheDocument();
    expect(screen.queryByText('Low one')).not.toBeInTheDocument();
    expect(screen.getByLabelText('嚴重度')).toHaveValue('critical');
  });

  it('loads more with the next cursor until there are no more', async () => {
    for (let i = 0; i < 25; i += 1) db.rooms.push(makeRoom());
    const seen = recordRoomQueries();
    const { user } = renderApp('/rooms', { authenticated: true });
    const list = await screen.findByRole('list', { name: '事件' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(20);

    await user.click(screen.getByRole('button', { name: '載入更多' }));

    await screen.findByText('Line 25 溫度異常');
    expect(within(screen.getByRole('list', { name: '事件' })).getAllByRole('listitem')).toHaveLength(25);
    expect(seen.at(-1)?.get('cursor')).toBe('20');
    expect(screen.queryByRole('button', { name: '載入更多' })).not.toBeInTheDocument();
  });

  it('shows an error with a retry button when the list cannot load', async () => {
    db.rooms.push(makeRoom({ title: 'Back again' }));
    server.use(http.get('*/api/rooms', () => apiError(503, 'unavailable', 'down'), { once: true }));
    const { user } = renderApp('/rooms', { authenticated: true });
    expect(await screen.findByRole('alert')).toHaveTextContent('服務暫時無法使用');
    await user.click(screen.getByRole('button', { name: '重試' }));
    expect(await screen.findByText('Back again')).toBeInTheDocument();
  });
});
