import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RealtimeClient } from '@/lib/socket/client';
import { FakeWebSocket } from '@/testing/fake-websocket';
import type { HistoryPage } from '@/features/chat/api/get-messages';
import { ChatController } from '@/features/chat/store/chat-controller';
import { chatReducer, initialChatState } from '@/features/chat/store/chat-reducer';
import { ChatStore } from '@/features/chat/store/chat-store';
import { splitHighlights } from '@/features/chat/utils/highlight';
import { ME, msg, ROOM, WANG } from '@/features/chat/__tests__/fixtures';

describe('reducer: reactions, edits, deletions, notices', () => {
  const loaded = () =>
    chatReducer(initialChatState(ROOM, ME), { type: 'history/latest', messages: [msg(1, { version: 1 })], hasMore: false });

  it('a reaction frame that is already so still raises the version, so an older frame cannot undo it', () => {
    let state = loaded();
    state = chatReducer(state, { type: 'reaction', messageId: 'm1', emoji: '👍', userId: ME, added: true, version: 2 });
    state = chatReducer(state, { type: 'reaction', messageId: 'm1', emoji: '👍', userId: ME, added: false, version: 4 });
    state = chatReducer(state, { type: 'reaction', messageId: 'm1', emoji: '👍', userId: ME, added: false, version: 4 }); // duplicate
    expect(state.byId.m1!.reactions).toEqual({});
    // v3 (added) arrives after v4 (removed): ignored
    state = chatReducer(state, { type: 'reaction', messageId: 'm1', emoji: '👍', userId: ME, added: true, version: 3 });
    expect(state.byId.m1!.reactions).toEqual({});
    expect(state.byId.m1!.version).toBe(4);
  });

  it('edit and delete patches; a replayed full copy with a higher version wins', () => {
    let state = loaded();
    state = chatReducer(state, { type: 'message/patch', messageId: 'm1', version: 2, changes: { content: 'new', edited_at: 'e' } });
    expect(state.byId.m1).toMatchObject({ content: 'new', edited_at: 'e', version: 2 });
    state = chatReducer(state, { type: 'message', message: msg(1, { content: null, deleted_at: 'd', version: 3, reactions: { '✅': [WANG] } }) });
    expect(state.byId.m1).toMatchObject({ content: null, deleted_at: 'd', version: 3 });
    state = chatReducer(state, { type: 'message/patch', messageId: 'm1', version: 2, changes: { content: 'stale' } });
    expect(state.byId.m1!.content).toBeNull();
  });

  it('notices count up and can be dismissed', () => {
    let state = loaded();
    state = chatReducer(state, { type: 'notice', notice: { action: 'edit', code: 'forbidden' } });
    state = chatReducer(state, { type: 'notice', notice: { action: 'delete', code: 'offline' } });
    expect(state.notice).toEqual({ id: 2, action: 'delete', code: 'offline' });
    state = chatReducer(state, { type: 'notice', notice: null });
    expect(state.notice).toBeNull();
    expect(chatReducer(state, { type: 'notice', notice: null })).toBe(state);
  });
});

describe('controller: operation frames', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeWebSocket.reset();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function setup(history: HistoryPage = { messages: [msg(3), msg(2), msg(1)], has_more: false, next_before: null }) {
    const client = new RealtimeClient({
      getUrl: async () => 'ws://test/ws?ticket=t',
      createSocket: (url) => new FakeWebSocket(url),
      random: () => 0.5,
    });
    const store = new ChatStore(ROOM, ME);
    let ids = 0;
    const fetchBefore = vi.fn(async (_room: string, before: number): Promise<HistoryPage> => {
      const messages = [];
      for (let seq = before - 1; seq >= Math.max(1, before - 2); seq -= 1) messages.push(msg(seq));
      return { messages, has_more: before - 2 > 1, next_before: null };
    });
    const controller = new ChatController(store, {
      client,
      fetchLatest: async () => history,
      fetchBefore,
      fetchAfter: async () => ({ messages: [], has_more: false }),
      newId: () => `op-${++ids}`,
    });
    client.start();
    controller.start();
    await vi.advanceTimersByTimeAsync(0);
    const socket = FakeWebSocket.last()!;
    return { client, store, controller, socket, fetchBefore };
  }

  it('needs a subscribed room: offline gives an `offline` notice and sends nothing', async () => {
    const { store, controller, socket } = await setup();
    expect(controller.react('m1', '👍', true)).toBe(false);
    expect(store.getState().notice).toMatchObject({ action: 'reaction', code: 'offline' });
    socket.open();
    await vi.advanceTimersByTimeAsync(0);
    socket.receive({ type: 'subscribed', room_id: ROOM, online: [], last_seq: 1, server_time: 't' });
    expect(controller.editMessage('m1', 'x')).toBe(true);
    expect(controller.deleteMessage('m2')).toBe(true);
    expect(controller.react('m1', '❤️', false)).toBe(true);
    const sent = socket.sentFrames.filter((f) => f.type !== 'subscribe');
    expect(sent).toEqual([
      { type: 'edit_message', room_id: ROOM, message_id: 'm1', content: 'x', client_id: 'op-2' },
      { type: 'delete_message', room_id: ROOM, message_id: 'm2', client_id: 'op-3' },
      { type: 'remove_reaction', room_id: ROOM, message_id: 'm1', emoji: '❤️', client_id: 'op-4' },
    ]);
    // an error frame naming an operation's client_id becomes a notice; others are left alone
    socket.receive({ type: 'error', code: 'conflict', message: 'deleted', client_id: 'op-3' });
    expect(store.getState().notice).toMatchObject({ action: 'delete', code: 'conflict' });
    socket.receive({ type: 'error', code: 'forbidden', message: 'x', client_id: 'someone-else' });
    expect(store.getState().notice).toMatchObject({ action: 'delete', code: 'conflict' });
  });

  it('loadUntil pages back (contiguously) until the sequence number is loaded', async () => {
    const { store, controller, fetchBefore } = await setup({ messages: [msg(9), msg(8)], has_more: true, next_before: 8 });
    await expect(controller.loadUntil(3)).resolves.toBe(true);
    expect(fetchBefore.mock.calls.map(([, before]) => before)).toEqual([8, 6, 4]);
    expect(store.getState().order).toEqual(['m2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9']);
    await expect(controller.loadUntil(50)).resolves.toBe(false);
  });
});

describe('search highlights', () => {
  it('splits at code-point offsets (an emoji before the hit does not shift it)', () => {
    expect(splitHighlights('設備溫度上升', [{ start: 2, end: 4 }])).toEqual([
      { text: '設備', hit: false },
      { text: '溫度', hit: true },
      { text: '上升', hit: false },
    ]);
    expect(splitHighlights('🔥溫度', [{ start: 1, end: 3 }])).toEqual([
      { text: '🔥', hit: false },
      { text: '溫度', hit: true },
    ]);
    expect(splitHighlights('abc', [{ start: 1, end: 9 }, { start: 0, end: 2 }])).toEqual([{ text: 'abc', hit: true }]);
    expect(splitHighlights('abc', [])).toEqual([{ text: 'abc', hit: false }]);
  });
});
