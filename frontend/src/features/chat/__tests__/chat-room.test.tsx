import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { addMember, addMessages, db, makeMessage, makeRoom, users } from '@/testing/mocks/db';
import { openAppSocket, serverSends } from '@/testing/realtime';
import { renderApp } from '@/testing/test-utils';

const CHEN = users['chen.editor']!.user_id;
const WANG = users['wang.owner']!.user_id;

function roomWith(role: 'OWNER' | 'EDITOR' | 'VIEWER', overrides = {}) {
  const room = makeRoom({ title: '回焊爐溫度異常', ...overrides });
  db.rooms.push(room);
  addMember(room, 'wang.owner', 'OWNER', true);
  addMember(room, 'chen.editor', role, true);
  return room;
}

async function visibleRows() {
  await waitFor(() => expect(screen.getByTestId('virtuoso-item-list').style.visibility).not.toBe('hidden'));
  return screen.getAllByTestId('chat-message');
}

describe('chat room page', () => {
  it('loads history with sender names, subscribes with last_seq and shows live messages', async () => {
    const room = roomWith('EDITOR');
    addMessages(room.room_id, makeMessage(room.room_id, { content: '溫度 85 度' }));
    addMessages(room.room_id, makeMessage(room.room_id, { sender_id: CHEN, content: '收到' }));
    renderApp(`/rooms/${room.room_id}`, { as: 'chen.editor' });
    const socket = await openAppSocket();
    await waitFor(() =>
      expect(socket.sentFrames.filter((f) => f.type === 'subscribe')).toEqual([
        { type: 'subscribe', room_id: room.room_id, last_seq: 2 },
      ]),
    );
    const rows = await visibleRows();
    expect(rows.map((r) => r.getAttribute('data-seq'))).toEqual(['1', '2']);
    expect(rows[0]).toHaveTextContent('王小明');
    expect(rows[1]).toHaveClass('message-own');

    serverSends(socket, {
      type: 'subscribed',
      room_id: room.room_id,
      online: [WANG, CHEN],
      last_seq: 2,
      server_time: '2025-11-17T10:00:00.000Z',
      has_more: false,
    });
    const online = screen.getByRole('complementary', { name: /在線上/ });
    expect(within(online).getByText('王小明')).toBeInTheDocument();
    serverSends(socket, { type: 'message', message: makeMessage(room.room_id, { sequence_number: 3, content: '請支援' }) });
    serverSends(socket, { type: 'message', message: makeMessage(room.room_id, { sequence_number: 3, content: '請支援' }) });
    await waitFor(() => expect(screen.getAllByTestId('chat-message')).toHaveLength(3));
    expect(screen.getAllByText('請支援')).toHaveLength(1);

    serverSends(socket, { type: 'typing', room_id: room.room_id, user_id: WANG, is_typing: true });
    expect(screen.getByTestId('typing-indicator')).toHaveTextContent('王小明 正在輸入…');
  });

  it('sends from the composer: pending, then confirmed by the ack', async () => {
    const room = roomWith('EDITOR');
    renderApp(`/rooms/${room.room_id}`, { as: 'chen.editor' });
    const socket = await openAppSocket();
    await waitFor(() => expect(socket.sentFrames.some((f) => f.type === 'subscribe')).toBe(true));
    serverSends(socket, { type: 'subscribed', room_id: room.room_id, online: [CHEN], last_seq: 0, server_time: 't', has_more: false });
    const box = await screen.findByRole('textbox', { name: '訊息' });
    act(() => box.focus());
    const { default: userEvent } = await import('@testing-library/user-event');
    const user = userEvent.setup();
    await user.type(box, '已停機檢查{Enter}');
    const sent = socket.sentFrames.find((f) => f.type === 'message')!;
    expect(sent).toMatchObject({ room_id: room.room_id, message_type: 'text', content: '已停機檢查' });
    const pending = await screen.findByText('已停機檢查');
    expect(pending.closest('[data-testid="chat-message"]')).toHaveAttribute('data-status', 'sending');
    serverSends(socket, { type: 'ack', client_id: sent.client_id, message_id: 'm-1', sequence_number: 1, created_at: new Date().toISOString() });
    await waitFor(() => expect(screen.getByText('已停機檢查').closest('[data-testid="chat-message"]')).toHaveAttribute('data-seq', '1'));
  });

  it('a VIEWER gets no composer but an explanation', async () => {
    const room = roomWith('VIEWER');
    renderApp(`/rooms/${room.room_id}`, { as: 'chen.editor' });
    expect(await screen.findByRole('note')).toHaveTextContent('您在此事件是檢視者，只能閱讀訊息，無法傳送。');
    expect(screen.queryByRole('textbox', { name: '訊息' })).not.toBeInTheDocument();
  });

  it('an archived room gets no composer either', async () => {
    const room = roomWith('EDITOR', { status: 'archived' });
    renderApp(`/rooms/${room.room_id}`, { as: 'chen.editor' });
    expect(await screen.findByRole('note')).toHaveTextContent('此事件已封存');
    expect(screen.queryByRole('textbox', { name: '訊息' })).not.toBeInTheDocument();
  });

  it('shows the offline banner while the connection is down', async () => {
    const room = roomWith('EDITOR');
    renderApp(`/rooms/${room.room_id}`, { as: 'chen.editor' });
    const socket = await openAppSocket();
    await screen.findByRole('textbox', { name: '訊息' });
    expect(screen.queryByTestId('chat-connection-banner')).not.toBeInTheDocument();
    act(() => socket.serverClose(1006));
    expect(await screen.findByTestId('chat-connection-banner')).toHaveTextContent('訊息將於連線後送出');
  });

  it('a mention in another room shows a toast and badge linking to it', async () => {
    const here = roomWith('EDITOR');
    const other = roomWith('EDITOR', { title: '另一個事件' });
    renderApp(`/rooms/${here.room_id}`, { as: 'chen.editor' });
    const socket = await openAppSocket();
    await screen.findByRole('textbox', { name: '訊息' });
    const message = makeMessage(other.room_id, { content: '@陳編輯 請看一下', mentions: [CHEN] });
    serverSends(socket, { type: 'mention', room_id: other.room_id, message });
    serverSends(socket, { type: 'mention', room_id: other.room_id, message }); // at-least-once
    const toast = await screen.findByTestId('mention-toast');
    expect(toast).toHaveTextContent('wang.owner 在另一個事件提到你');
    expect(toast).toHaveTextContent('@陳編輯 請看一下');
    expect(screen.getByTestId('mention-badge')).toHaveTextContent('1 則未讀提及');
    expect(within(toast).getByRole('link', { name: '前往查看' })).toHaveAttribute('href', `/rooms/${other.room_id}`);
    // a mention in the room on screen is highlighted there instead
    serverSends(socket, { type: 'mention', room_id: here.room_id, message: makeMessage(here.room_id, { mentions: [CHEN] }) });
    expect(screen.getAllByTestId('mention-toast')).toHaveLength(1);
  });
});
