import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { db, makeRoom } from '@/testing/mocks/db';
import { FakeWebSocket } from '@/testing/fake-websocket';
import { addNotification, responseDb } from '@/testing/mocks/response-loop';
import { openAppSocket, serverSends } from '@/testing/realtime';
import { renderApp } from '@/testing/test-utils';

function frame(notificationId: string, overrides: Record<string, unknown> = {}) {
  return {
    type: 'notification',
    notification: {
      notification_id: notificationId,
      kind: 'escalation',
      room_id: '00000000-0000-4000-8000-000000000001',
      room_title: 'Line 3 溫度異常',
      text: '升級通報：無人接手',
      created_at: new Date().toISOString(),
      read_at: null,
      ...overrides,
    },
  };
}

const bell = (count?: number) => screen.findByRole('link', { name: count ? `通知（${count} 則未讀）` : '通知' });

describe('notification bell', () => {
  it('shows the unread count and adds one per live notification frame (once per id)', async () => {
    addNotification('chen.editor');
    addNotification('chen.editor');
    addNotification('chen.editor', { read_at: '2025-11-17T09:00:00.000Z' });
    renderApp('/rooms', { authenticated: true });
    expect(await bell(2)).toBeInTheDocument();
    expect(screen.getByTestId('bell-count')).toHaveTextContent('2');
    const socket = await openAppSocket();

    serverSends(socket, frame('50000000-0000-4000-8000-000000000001'));
    expect(await bell(3)).toBeInTheDocument();
    serverSends(socket, frame('50000000-0000-4000-8000-000000000001')); // the same one again
    serverSends(socket, frame('50000000-0000-4000-8000-000000000002'));
    expect(await bell(4)).toBeInTheDocument();
    expect(screen.getByTestId('bell-count')).toHaveTextContent('4');
  });

  it('refetches the count after a reconnect (frames sent while away are lost)', async () => {
    renderApp('/rooms', { authenticated: true });
    expect(await bell()).toBeInTheDocument();
    expect(screen.queryByTestId('bell-count')).not.toBeInTheDocument();
    const first = await openAppSocket();

    addNotification('chen.editor', { kind: 'added_to_room' });
    act(() => first.serverClose());
    await waitFor(() => expect(FakeWebSocket.instances.length).toBe(2), { timeout: 3000 });
    act(() => FakeWebSocket.last()!.open());
    expect(await bell(1)).toBeInTheDocument();
  });

  it('opens the inbox; "mark all read" resets the count to zero', async () => {
    addNotification('chen.editor', { kind: 'mention', room_title: 'Line 1 缺料', text: '王小明 提到你' });
    addNotification('chen.editor', { kind: 'escalation', room_title: 'Line 3 溫度異常', text: '第 1 級升級' });
    const { user } = renderApp('/rooms', { authenticated: true });
    await user.click(await bell(2));

    expect(await screen.findByRole('heading', { level: 1, name: '通知' })).toBeInTheDocument();
    const list = await screen.findByRole('list', { name: '通知列表' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent('升級通報');
    expect(items[0]).toHaveTextContent('Line 3 溫度異常');
    expect(items[0]).toHaveTextContent('未讀');

    await user.click(screen.getByRole('button', { name: '全部標為已讀' }));
    expect(await bell()).toBeInTheDocument();
    expect(screen.queryByTestId('bell-count')).not.toBeInTheDocument();
    await waitFor(() => expect(within(list).queryByText('未讀')).not.toBeInTheDocument());
    expect(screen.getByRole('button', { name: '全部標為已讀' })).toBeDisabled();
    expect(responseDb.requests.map((r) => r.path)).toContain('/api/notifications/read-all');
  });

  it('opening a notification marks it read and goes to its room', async () => {
    const room = makeRoom({ title: 'Line 3 溫度異常' });
    db.rooms.push(room);
    const n = addNotification('chen.editor', { room_id: room.room_id, room_title: room.title });
    addNotification('chen.editor');
    const { user, router } = renderApp('/notifications', { authenticated: true });
    expect(await bell(2)).toBeInTheDocument();

    await user.click(await screen.findByRole('link', { name: /Line 3 溫度異常/ }));
    // the room is a lazily loaded route: the navigation completes once its chunk is there
    await waitFor(() => expect(router.state.location.pathname).toBe(`/rooms/${room.room_id}`));
    expect(await bell(1)).toBeInTheDocument();
    await waitFor(() => expect(responseDb.notifications['chen.editor@plant.test']!.find((x) => x.notification_id === n.notification_id)!.read_at).not.toBeNull());
  });

  it('the unread filter lists only unread notifications', async () => {
    addNotification('chen.editor', { room_title: 'Read one', read_at: '2025-11-17T09:00:00.000Z' });
    addNotification('chen.editor', { room_title: 'Unread one' });
    const { user } = renderApp('/notifications', { authenticated: true });
    await screen.findByText('Read one');
    await user.click(screen.getByRole('button', { name: '未讀（1）' }));
    await waitFor(() => expect(screen.queryByText('Read one')).not.toBeInTheDocument());
    expect(screen.getByText('Unread one')).toBeInTheDocument();
  });
});
