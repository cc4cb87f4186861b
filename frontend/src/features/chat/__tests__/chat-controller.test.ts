import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RealtimeClient } from '@/lib/socket/client';
import { FakeWebSocket } from '@/testing/fake-websocket';
import type { AfterPage, HistoryPage } from '@/features/chat/api/get-messages';
import { ChatController } from '@/features/chat/store/chat-controller';
import { selectTimeline } from '@/features/chat/store/chat-reducer';
import { ChatStore } from '@/features/chat/store/chat-store';
import { ME, msg, ROOM, WANG } from '@/features/chat/__tests__/fixtures';

/** A connected RealtimeClient over FakeWebSocket, a store and its controller, with fake timers. */
async function setup({ history = [msg(2), msg(1)] as ReturnType<typeof msg>[], hasMore = false } = {}) {
  const network = new EventTarget();
  let online = true;
  const client = new RealtimeClient({
    getUrl: async () => 'ws://test/ws?ticket=t',
    createSocket: (url) => new FakeWebSocket(url),
    network,
    isOnline: () => online,
    random: () => 0.5,
  });
  const store = new ChatStore(ROOM, ME);
  let ids = 0;
  const fetchLatest = vi.fn(async (): Promise<HistoryPage> => ({ messages: history, has_more: hasMore, next_before: null }));
  const fetchBefore = vi.fn(async (): Promise<HistoryPage> => ({ messages: [], has_more: false, next_before: null }));
  const fetchAfter = vi.fn<(roomId: string, afterSeq: number) => Promise<AfterPage>>(async () => ({ messages: [], has_more: false }));
  const controller = new ChatController(store, {
    client,
    fetchLatest,
    fetchBefore,
    fetchAfter,
    newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
  });
  client.start();
  controller.start();
  await vi.advanceTimersByTimeAsync(0); // ticket + history
  const socket = () => FakeWebSocket.last()!;
  const frames = (type?: string) => socket().sentFrames.filter((f) => !type || f.type === type);
  const allSent = (type: string) => FakeWebSocket.instances.flatMap((s) => s.sentFrames.filter((f) => f.type === type));
  return {
    client,
    store,
    controller,
    fetchAfter,
    fetchBefore,
    socket,
    frames,
    allSent,
    goOffline() {
      online = false;
      network.dispatchEvent(new Event('offline'));
    },
    async goOnline() {
      online = true;
      network.dispatchEvent(new Event('online'));
      await vi.advanceTimersByTimeAsync(0);
    },
    async open() {
      socket().open();
      await vi.advanceTimersByTimeAsync(0);
    },
    serverSends(frame: unknown) {
      socket().receive(frame);
    },
    subscribed(lastSeq: number, serverTime = '2025-11-17T10:00:00.000Z', extra: Record<string, unknown> = {}) {
      socket().receive({ type: 'subscribed', room_id: ROOM, online: [ME], last_seq: lastSeq, server_time: serverTime, has_more: false, ...extra });
    },
    texts() {
      return selectTimeline(store.getState()).map((i) =>
        i.kind === 'message' ? `${i.message.sequence_number}:${String(i.message.content)}` : `${i.outgoing.status}:${String(i.outgoing.content)}`,
      );
    },
  };
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeWebSocket.reset();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('chat controller: subscribe and resume', () => {
  it('loads history, then subscribes with last_seq (no changed_since the first time)', async () => {
    const t = await setup();
    await t.open();
    expect(t.frames('subscribe')).toEqual([{ type: 'subscribe', room_id: ROOM, last_seq: 2 }]);
  });

  it('re-subscribes after a reconnect with last_seq and changed_since, and merges the replay without duplicates', async () => {
    const t = await setup();
    await t.open();
    t.subscribed(2, '2025-11-17T10:00:00.000Z');
    t.serverSends({ type: 'message', message: msg(3) });
    expect(t.texts()).toEqual(['1:message 1', '2:message 2', '3:message 3']);

    t.socket().serverClose(1006);
    expect(t.client.getState()).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(1_000); // backoff
    await t.open();
    expect(t.frames('subscribe')).toEqual([
      { type: 'subscribe', room_id: ROOM, last_seq: 3, changed_since: '2025-11-17T10:00:00.000Z' },
    ]);
    // the replay overlaps what we have (at-least-once) and brings an edit of message 2
    t.subscribed(5, '2025-11-17T10:05:00.000Z');
    for (const m of [msg(3), msg(2, { content: 'edited 2', version: 2 }), msg(4), msg(5)]) {
      t.serverSends({ type: 'message', message: m, replay: true });
    }
    t.serverSends({ type: 'message', message: msg(5) });
    expect(t.texts()).toEqual(['1:message 1', '2:edited 2', '3:message 3', '4:message 4', '5:message 5']);
    expect(t.store.getState().lastSeq).toBe(5);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(t.fetchAfter).not.toHaveBeenCalled(); // nothing missing

    // the next resume starts from the new server_time
    t.socket().serverClose(1006);
    await vi.advanceTimersByTimeAsync(1_000);
    await t.open();
    expect(t.frames('subscribe')[0]).toMatchObject({ last_seq: 5, changed_since: '2025-11-17T10:05:00.000Z' });
  });

  it('fetches the rest over REST when the replay was capped (has_more)', async () => {
    const t = await setup();
    t.fetchAfter.mockResolvedValueOnce({ messages: [msg(3), msg(4)], has_more: true }).mockResolvedValueOnce({
      messages: [msg(5)],
      has_more: false,
    });
    await t.open();
    t.subscribed(5, 't', { has_more: true });
    await vi.advanceTimersByTimeAsync(0);
    expect(t.fetchAfter.mock.calls.map((c) => c[1])).toEqual([2, 4]);
    expect(t.store.getState().lastSeq).toBe(5);
  });

  it('fills a gap over REST when a later message arrives first', async () => {
    const t = await setup();
    await t.open();
    t.subscribed(2);
    t.fetchAfter.mockResolvedValueOnce({ messages: [msg(3), msg(4)], has_more: false });
    t.serverSends({ type: 'message', message: msg(4) });
    expect(t.store.getState().lastSeq).toBe(2);
    await vi.advanceTimersByTimeAsync(1_600);
    expect(t.fetchAfter).toHaveBeenCalledWith(ROOM, 2);
    expect(t.texts()).toEqual(['1:message 1', '2:message 2', '3:message 3', '4:message 4']);
  });

  it('does not fetch when the missing message arrives before the gap delay', async () => {
    const t = await setup();
    await t.open();
    t.subscribed(2);
    t.serverSends({ type: 'message', message: msg(4) });
    t.serverSends({ type: 'message', message: msg(3) });
    await vi.advanceTimersByTimeAsync(3_000);
    expect(t.fetchAfter).not.toHaveBeenCalled();
  });

  it('loads older history before the oldest loaded message', async () => {
    const t = await setup({ history: [msg(52), msg(51)], hasMore: true });
    t.fetchBefore.mockResolvedValueOnce({ messages: [msg(50), msg(49)], has_more: false, next_before: null });
    await t.controller.loadOlder();
    expect(t.fetchBefore).toHaveBeenCalledWith(ROOM, 51);
    expect(t.store.getState().prepended).toBe(2);
    expect(t.store.getState().hasOlder).toBe(false);
  });
});

describe('chat controller: sending', () => {
  it('sends at once when subscribed; the ack confirms it', async () => {
    const t = await setup();
    await t.open();
    t.subscribed(2);
    const sent = t.controller.send({ message_type: 'text', content: '設備溫度上升', mentions: [WANG] });
    expect(t.frames('message')).toEqual([
      { type: 'message', room_id: ROOM, client_id: sent.client_id, message_type: 'text', content: '設備溫度上升', mentions: [WANG] },
    ]);
    expect(t.texts().at(-1)).toBe('sending:設備溫度上升');
    t.serverSends({ type: 'ack', client_id: sent.client_id, message_id: 'm3', sequence_number: 3, created_at: 'x' });
    expect(t.texts().at(-1)).toBe('3:設備溫度上升');
  });

  it('queues sends while offline and sends each exactly once after the re-subscribe completes', async () => {
    const t = await setup();
    await t.open();
    t.subscribed(2);
    t.goOffline();
    expect(t.client.getState()).toBe('offline');
    const a = t.controller.send({ message_type: 'text', content: 'first offline', mentions: [] });
    const b = t.controller.send({ message_type: 'text', content: 'second offline', mentions: [] });
    expect(t.texts().slice(-2)).toEqual(['queued:first offline', 'queued:second offline']);
    await vi.advanceTimersByTimeAsync(30_000); // no ack timeout while offline
    expect(t.texts().slice(-2)).toEqual(['queued:first offline', 'queued:second offline']);

    await t.goOnline();
    await t.open();
    // connected, but not yet subscribed: nothing goes out before the subscribe
    expect(t.frames().map((f) => f.type)).toEqual(['subscribe']);
    t.subscribed(3);
    expect(t.frames('message').map((f) => f.client_id)).toEqual([a.client_id, b.client_id]);
    // a second subscribed frame (or any later event) does not send them again
    t.subscribed(3);
    t.controller.retry(a.client_id);
    expect(t.frames('message')).toHaveLength(2);

    t.serverSends({ type: 'message', message: msg(3) }); // someone else's, written meanwhile
    t.serverSends({ type: 'ack', client_id: a.client_id, message_id: 'm4', sequence_number: 4, created_at: 'x' });
    t.serverSends({ type: 'ack', client_id: b.client_id, message_id: 'm5', sequence_number: 5, created_at: 'x' });
    t.serverSends({ type: 'message', message: msg(4, { sender_id: ME, client_id: a.client_id, content: 'first offline' }) });
    t.serverSends({ type: 'message', message: msg(5, { sender_id: ME, client_id: b.client_id, content: 'second offline' }) });
    expect(t.texts()).toEqual(['1:message 1', '2:message 2', '3:message 3', '4:first offline', '5:second offline']);
    expect(t.allSent('message')).toHaveLength(2);
  });

  it('resends a message that was in flight when the connection dropped, with the same client_id', async () => {
    const t = await setup();
    await t.open();
    t.subscribed(2);
    const sent = t.controller.send({ message_type: 'text', content: 'in flight', mentions: [] });
    t.socket().serverClose(1006);
    expect(t.texts().at(-1)).toBe('queued:in flight');
    await vi.advanceTimersByTimeAsync(1_000);
    await t.open();
    t.subscribed(3);
    // the server stored it before the drop: the replay confirms it, the resend gets the original ack
    t.serverSends({ type: 'message', message: msg(3, { sender_id: ME, client_id: sent.client_id, content: 'in flight' }), replay: true });
    t.serverSends({ type: 'ack', client_id: sent.client_id, message_id: 'm3', sequence_number: 3, created_at: 'x' });
    expect(t.allSent('message').map((f) => f.client_id)).toEqual([sent.client_id, sent.client_id]);
    expect(t.texts()).toEqual(['1:message 1', '2:message 2', '3:in flight']);
  });

  it('fails a send without ack after 10 s while connected; retry resends the same client_id', async () => {
    const t = await setup();
    await t.open();
    t.subscribed(2);
    const sent = t.controller.send({ message_type: 'text', content: 'hello', mentions: [] });
    await vi.advanceTimersByTimeAsync(9_999);
    expect(t.texts().at(-1)).toBe('sending:hello');
    await vi.advanceTimersByTimeAsync(1);
    expect(t.store.getState().outbox[0]).toMatchObject({ status: 'failed', error: 'timeout' });
    t.controller.retry(sent.client_id);
    expect(t.frames('message').map((f) => f.client_id)).toEqual([sent.client_id, sent.client_id]);
    expect(t.texts().at(-1)).toBe('sending:hello');
  });

  it('marks the send failed on an error frame naming its client_id', async () => {
    const t = await setup();
    await t.open();
    t.subscribed(2);
    const sent = t.controller.send({ message_type: 'text', content: 'x'.repeat(10), mentions: [] });
    t.serverSends({ type: 'error', code: 'forbidden', message: 'Viewers cannot send', client_id: sent.client_id });
    expect(t.store.getState().outbox[0]).toMatchObject({ status: 'failed', error: 'forbidden' });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(t.store.getState().outbox[0]!.status).toBe('failed');
  });

  it('sends typing frames only while subscribed', async () => {
    const t = await setup();
    expect(t.controller.sendTyping(true)).toBe(false);
    await t.open();
    t.subscribed(2);
    expect(t.controller.sendTyping(true)).toBe(true);
    expect(t.frames('typing')).toEqual([{ type: 'typing', room_id: ROOM, is_typing: true }]);
  });

  it('clears a typing indicator 3 s after the last typing frame', async () => {
    const t = await setup();
    await t.open();
    t.subscribed(2);
    t.serverSends({ type: 'typing', room_id: ROOM, user_id: WANG, is_typing: true });
    expect(Object.keys(t.store.getState().typing)).toEqual([WANG]);
    await vi.advanceTimersByTimeAsync(2_000);
    t.serverSends({ type: 'typing', room_id: ROOM, user_id: WANG, is_typing: true }); // still typing
    await vi.advanceTimersByTimeAsync(2_000);
    expect(Object.keys(t.store.getState().typing)).toEqual([WANG]);
    await vi.advanceTimersByTimeAsync(1_100);
    expect(t.store.getState().typing).toEqual({});
  });

  it('unsubscribes when stopped and ignores frames afterwards', async () => {
    const t = await setup();
    await t.open();
    t.subscribed(2);
    t.controller.stop();
    expect(t.frames('unsubscribe')).toEqual([{ type: 'unsubscribe', room_id: ROOM }]);
    t.serverSends({ type: 'message', message: msg(3) });
    expect(t.store.getState().lastSeq).toBe(2);
  });
});
