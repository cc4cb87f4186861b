import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { db, makeRoom } from '@/testing/mocks/db';
import { FakeWebSocket } from '@/testing/fake-websocket';
import { openAppSocket, serverSends } from '@/testing/realtime';
import { renderApp } from '@/testing/test-utils';

function systemFrame(event: string, roomId: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'system',
    event,
    room_id: roomId,
    user_id: 'chen.editor@plant.test',
    timestamp: '2025-11-17T10:00:00.000Z',
    ...extra,
  };
}

describe('room list over the WebSocket', () => {
  it('connects with a ticket from POST /api/auth/ws-ticket', async () => {
    renderApp('/rooms', { authenticated: true });
    const socket = await openAppSocket();
    expect(socket.url).toMatch(/\/ws\?ticket=ticket-123$/);
  });

  it('shows a room created elsewhere when a member_added frame arrives, without reload', async () => {
    db.rooms.push(makeRoom({ title: 'Existing room' }));
    renderApp('/rooms', { authenticated: true });
    await screen.findByText('Existing room');
    const socket = await openAppSocket();

    const created = makeRoom({ title: '新的設備異常', last_activity_at: '2030-01-01T00:00:00.000Z' });
    db.rooms.push(created);
    expect(screen.queryByText('新的設備異常')).not.toBeInTheDocument();
    serverSends(socket, systemFrame('member_added', created.room_id, { role: 'EDITOR' }));

    expect(await screen.findByText('新的設備異常')).toBeInTheDocument();
    const items = within(screen.getByRole('list', { name: '事件' })).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('新的設備異常');
  });

  it('updates the status badge on room_status_changed and drops a room on member_removed', async () => {
    const room = makeRoom({ title: 'Oven alarm', status: 'active' });
    const other = makeRoom({ title: 'Leaving soon' });
    db.rooms.push(room, other);
    renderApp('/rooms', { authenticated: true });
    const link = await screen.findByRole('link', { name: /Oven alarm/ });
    expect(within(link).getByText('處理中')).toBeInTheDocument();
    const socket = await openAppSocket();

    room.status = 'resolved';
    serverSends(socket, systemFrame('room_status_changed', room.room_id, { status: 'resolved', old_status: 'active' }));
    await waitFor(() => expect(within(screen.getByRole('link', { name: /Oven alarm/ })).getByText('已解決')).toBeInTheDocument());

    db.rooms = db.rooms.filter((r) => r !== other);
    serverSends(socket, systemFrame('member_removed', other.room_id));
    await waitFor(() => expect(screen.queryByText('Leaving soon')).not.toBeInTheDocument());
  });

  it('ignores frames that do not concern the room list', async () => {
    db.rooms.push(makeRoom({ title: 'Quiet room' }));
    let listCalls = 0;
    renderApp('/rooms', { authenticated: true });
    await screen.findByText('Quiet room');
    const socket = await openAppSocket();
    const { server } = await import('@/testing/mocks/server');
    server.events.on('request:start', ({ request }) => {
      if (new URL(request.url).pathname === '/api/rooms') listCalls += 1;
    });
    serverSends(socket, { type: 'pong' });
    serverSends(socket, { type: 'typing', room_id: 'x', user_id: 'y', is_typing: true });
    serverSends(socket, { type: 'error', code: 'validation_error', message: 'bad frame' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(listCalls).toBe(0);
  });

  it('refetches the list after a reconnect, since frames may have been missed', async () => {
    db.rooms.push(makeRoom({ title: 'Before the outage' }));
    renderApp('/rooms', { authenticated: true });
    await screen.findByText('Before the outage');
    const first = await openAppSocket();

    db.rooms.push(makeRoom({ title: 'Created during the outage', last_activity_at: '2030-01-01T00:00:00.000Z' }));
    act(() => first.serverClose());
    expect(await screen.findByText('重新連線中…')).toBeInTheDocument();
    // the client retries after ~1 s with a new ticket
    await waitFor(() => expect(FakeWebSocket.instances.length).toBe(2), { timeout: 3000 });
    act(() => FakeWebSocket.last()!.open());
    expect(await screen.findByText('Created during the outage')).toBeInTheDocument();
  });
});
