import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Room } from '@/features/rooms/types';
import { sortForBoard } from '@/features/rooms/utils/board-order';
import { db, makeRoom } from '@/testing/mocks/db';
import { openAppSocket, serverSends } from '@/testing/realtime';
import { server } from '@/testing/mocks/server';
import { renderApp } from '@/testing/test-utils';

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const taken = (m: number): Partial<Room> => ({ acknowledged_at: minutesAgo(m), acknowledged_by: 'wang.owner@plant.test' });

function boardTitles(): string[] {
  const list = screen.getByRole('list', { name: '處理中的事件' });
  return within(list)
    .getAllByRole('heading', { level: 2 })
    .map((heading) => heading.textContent ?? '');
}

describe('line board order', () => {
  it('puts unacknowledged rooms first, then by severity, then the longest open first', () => {
    const rooms = [
      makeRoom({ title: 'taken critical', severity: 'critical', created_at: minutesAgo(50), ...taken(40) }),
      makeRoom({ title: 'open low', severity: 'low', created_at: minutesAgo(90) }),
      makeRoom({ title: 'open critical newer', severity: 'critical', created_at: minutesAgo(2) }),
      makeRoom({ title: 'open critical older', severity: 'critical', created_at: minutesAgo(20) }),
      makeRoom({ title: 'taken medium', severity: 'medium', created_at: minutesAgo(100), ...taken(99) }),
      makeRoom({ title: 'open high', severity: 'high', created_at: minutesAgo(1) }),
    ];
    expect(sortForBoard(rooms).map((room) => room.title)).toEqual([
      'open critical older',
      'open critical newer',
      'open high',
      'open low',
      'taken critical',
      'taken medium',
    ]);
  });
});

describe('/board', () => {
  it('shows open rooms full screen in board order with timers, and filters by line', async () => {
    db.rooms.push(
      makeRoom({ title: 'Line 2 缺料', severity: 'medium', location: 'A 廠 / Line 2', created_at: minutesAgo(30) }),
      makeRoom({ title: 'Line 3 溫度', severity: 'critical', location: 'A 廠 / Line 3', created_at: minutesAgo(3), ...taken(1) }),
      makeRoom({ title: 'Line 3 停機', severity: 'high', location: 'A 廠 / Line 3', created_at: minutesAgo(10) }),
      makeRoom({ title: 'Line 4 已解決', status: 'resolved', location: 'A 廠 / Line 4' }),
    );
    const { user } = renderApp('/board', { authenticated: true });
    expect(await screen.findByRole('heading', { level: 1, name: '產線看板' })).toBeInTheDocument();
    await screen.findByText('Line 3 停機');
    // no app bar on the board
    expect(screen.queryByRole('button', { name: '登出' })).not.toBeInTheDocument();
    expect(boardTitles()).toEqual(['Line 3 停機', 'Line 2 缺料', 'Line 3 溫度']);
    expect(screen.getByText('處理中 3 件，未接手 2 件')).toBeInTheDocument();
    const first = screen.getAllByRole('listitem')[0]!;
    expect(within(first).getByRole('timer', { name: /^等待接手 10 分 \d+ 秒$/ })).toBeInTheDocument();
    expect(within(first).getByText('未接手')).toBeInTheDocument();

    await user.type(screen.getByLabelText('關鍵字'), 'line 3');
    await waitFor(() => expect(boardTitles()).toEqual(['Line 3 停機', 'Line 3 溫度']));
  });

  it('asks for every room (scope=all) for an administrator, only active ones', async () => {
    const urls: URL[] = [];
    server.events.on('request:start', ({ request }) => {
      const url = new URL(request.url);
      if (url.pathname === '/api/rooms') urls.push(url);
    });
    db.rooms.push(makeRoom({ title: 'Someone else’s room' }));
    renderApp('/board', { as: 'lin.admin' });
    await screen.findByText('Someone else’s room');
    expect(urls[0]!.searchParams.get('scope')).toBe('all');
    expect(urls[0]!.searchParams.get('status')).toBe('active');
  });

  it('moves a room down live when a room_acknowledged frame arrives', async () => {
    const waiting = makeRoom({ title: 'Waiting medium', severity: 'medium', created_at: minutesAgo(5) });
    const critical = makeRoom({ title: 'Waiting critical', severity: 'critical', created_at: minutesAgo(4) });
    db.rooms.push(waiting, critical);
    renderApp('/board', { authenticated: true });
    await screen.findByText('Waiting critical');
    expect(boardTitles()).toEqual(['Waiting critical', 'Waiting medium']);
    const socket = await openAppSocket();

    const at = new Date().toISOString();
    Object.assign(critical, { acknowledged_at: at, acknowledged_by: 'wang.owner@plant.test', time_to_acknowledge_s: 240 });
    serverSends(socket, {
      type: 'system',
      event: 'room_acknowledged',
      room_id: critical.room_id,
      user_id: 'wang.owner@plant.test',
      acknowledged_at: at,
      timestamp: at,
    });
    await waitFor(() => expect(boardTitles()).toEqual(['Waiting medium', 'Waiting critical']));
    expect(screen.getByText('處理中 2 件，未接手 1 件')).toBeInTheDocument();
  });
});
