import { screen, waitFor, within } from '@testing-library/react';
import { delay, http } from 'msw';
import { describe, expect, it } from 'vitest';
import type { RoomRole } from '@/lib/roles';
import type { Room } from '@/features/rooms/types';
import { addMember, db, makeRoom } from '@/testing/mocks/db';
import { openAppSocket, serverSends } from '@/testing/realtime';
import { server } from '@/testing/mocks/server';
import { renderApp } from '@/testing/test-utils';

/** An open room where chen.editor (the logged-in test user) has `role`; wang.owner owns it. */
function roomWith(role: RoomRole, overrides: Partial<Room> = {}): Room {
  const created = new Date(Date.now() - 5 * 60_000).toISOString();
  const room = makeRoom({ title: 'Line 3 溫度異常', created_at: created, ...overrides });
  db.rooms.push(room);
  addMember(room, 'wang.owner', 'OWNER');
  if (role !== 'OWNER') addMember(room, 'chen.editor', role);
  else addMember(room, 'chen.editor', 'OWNER');
  return room;
}

async function openRoom(room: Room) {
  const utils = renderApp(`/rooms/${room.room_id}/members`, { authenticated: true });
  await screen.findByRole('heading', { level: 1, name: room.title });
  return utils;
}

const ACK = { name: /我來處理/ };

describe('「我來處理」 acknowledge button', () => {
  it.each(['EDITOR', 'OWNER'] as const)('is shown to an %s on an open room nobody has taken, with a waiting timer', async (role) => {
    const room = roomWith(role);
    await openRoom(room);
    expect(screen.getByRole('button', ACK)).toBeEnabled();
    expect(screen.getByRole('timer', { name: /^等待接手 \d+ 分 \d+ 秒$/ })).toBeInTheDocument();
    expect(screen.getByText('未接手')).toBeInTheDocument();
  });

  it('is hidden from a VIEWER, who is told nobody has taken it yet', async () => {
    const room = roomWith('VIEWER');
    await openRoom(room);
    expect(screen.getByText('尚無人接手此事件。')).toBeInTheDocument();
    expect(screen.queryByRole('button', ACK)).not.toBeInTheDocument();
  });

  it('is not offered on a resolved room or on one already taken', async () => {
    const resolved = roomWith('EDITOR', { title: 'Resolved room', status: 'resolved', resolved_at: new Date().toISOString() });
    const { unmount } = await openRoom(resolved);
    expect(screen.queryByRole('button', ACK)).not.toBeInTheDocument();
    unmount();

    const taken = roomWith('EDITOR', {
      title: 'Taken room',
      acknowledged_at: new Date(Date.now() - 60_000).toISOString(),
      acknowledged_by: 'wang.owner@plant.test',
      time_to_acknowledge_s: 240,
    });
    await openRoom(taken);
    expect(screen.queryByRole('button', ACK)).not.toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('ack-done')).toHaveTextContent('接手人：王小明'));
    // stopped at the server's time_to_acknowledge_s; the time since taken runs
    expect(screen.getByRole('timer', { name: '接手耗時 4 分 0 秒' })).toBeInTheDocument();
    expect(screen.getByRole('timer', { name: /^接手後 / })).toBeInTheDocument();
  });

  it('shows the tap at once (sending…), then the confirmed acknowledgement from the server', async () => {
    const room = roomWith('EDITOR');
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    server.use(
      http.post('*/api/rooms/:roomId/acknowledge', async () => {
        await gate;
        return undefined; // fall through to the real mock handler
      }),
    );
    const { user } = await openRoom(room);
    await user.click(screen.getByRole('button', ACK));

    // optimistic: taken by me, marked as sending, the button gone
    const done = await screen.findByTestId('ack-done');
    expect(done).toHaveTextContent('接手人：你');
    expect(done).toHaveTextContent('（傳送中…）');
    expect(screen.queryByRole('button', ACK)).not.toBeInTheDocument();
    expect(screen.queryByText('未接手')).not.toBeInTheDocument();

    release();
    await waitFor(() => expect(screen.getByTestId('ack-done')).not.toHaveTextContent('傳送中'));
    expect(db.rooms[0]!.acknowledged_by).toBe('chen.editor@plant.test');
    expect(screen.getByRole('timer', { name: /^接手耗時 \d+ 分 \d+ 秒$/ })).toBeInTheDocument();
  });

  it('puts the room back and says why when the server refuses (resolved meanwhile: 409)', async () => {
    const room = roomWith('EDITOR');
    server.use(
      http.post('*/api/rooms/:roomId/acknowledge', async () => {
        await delay(20);
        room.status = 'resolved';
        room.resolved_at = new Date().toISOString();
        return undefined;
      }),
    );
    const { user } = await openRoom(room);
    await user.click(screen.getByRole('button', ACK));
    expect(await screen.findByRole('alert')).toHaveTextContent('此事件已解決或封存，無法接手。');
    // the optimistic acknowledgement is gone; the refetched room shows as resolved
    await waitFor(() => expect(screen.queryByTestId('ack-done')).not.toBeInTheDocument());
    await waitFor(() => expect(screen.getAllByText('已解決').length).toBeGreaterThan(0));
    expect(screen.queryByRole('button', ACK)).not.toBeInTheDocument();
  });

  it('follows a room_acknowledged frame from someone else without a reload', async () => {
    const room = roomWith('EDITOR');
    await openRoom(room);
    const socket = await openAppSocket();
    expect(screen.getByRole('button', ACK)).toBeInTheDocument();

    const at = new Date().toISOString();
    Object.assign(room, { acknowledged_at: at, acknowledged_by: 'wang.owner@plant.test', time_to_acknowledge_s: 300 });
    serverSends(socket, {
      type: 'system',
      event: 'room_acknowledged',
      room_id: room.room_id,
      user_id: 'wang.owner@plant.test',
      acknowledged_at: at,
      timestamp: at,
    });
    expect(await screen.findByTestId('ack-done')).toHaveTextContent('接手人：王小明');
    expect(screen.queryByRole('button', ACK)).not.toBeInTheDocument();
    expect(await screen.findByRole('timer', { name: '接手耗時 5 分 0 秒' })).toBeInTheDocument();
  });
});

describe('room list: response state', () => {
  it('makes an unacknowledged critical room stand out with a text label, and shows timers', async () => {
    const now = Date.now();
    const critical = makeRoom({ title: 'Critical open', severity: 'critical', created_at: new Date(now - 90_000).toISOString() });
    const taken = makeRoom({
      title: 'Critical taken',
      severity: 'critical',
      created_at: new Date(now - 600_000).toISOString(),
      acknowledged_at: new Date(now - 300_000).toISOString(),
      acknowledged_by: 'wang.owner@plant.test',
      time_to_acknowledge_s: 300,
    });
    const high = makeRoom({ title: 'High open', severity: 'high' });
    db.rooms.push(critical, taken, high);
    renderApp('/rooms', { authenticated: true });

    const criticalItem = (await screen.findByRole('link', { name: /Critical open/ })).closest('li')!;
    expect(criticalItem).toHaveAttribute('data-unacknowledged-critical', 'true');
    expect(within(criticalItem).getByText('緊急・無人接手')).toBeInTheDocument();
    expect(within(criticalItem).getByRole('timer', { name: /^等待接手 1 分 3\d 秒$/ })).toBeInTheDocument();

    const takenItem = screen.getByRole('link', { name: /Critical taken/ }).closest('li')!;
    expect(takenItem).not.toHaveAttribute('data-unacknowledged-critical');
    expect(within(takenItem).queryByTestId('ack-badge')).not.toBeInTheDocument();
    expect(within(takenItem).getByRole('timer', { name: '接手耗時 5 分 0 秒' })).toBeInTheDocument();

    const highItem = screen.getByRole('link', { name: /High open/ }).closest('li')!;
    expect(highItem).not.toHaveAttribute('data-unacknowledged-critical');
    expect(within(highItem).getByText('未接手')).toBeInTheDocument();
  });
});
