import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/lib/api-client';
import {
  backoffDelay,
  PING_INTERVAL_MS,
  PONG_TIMEOUT_MS,
  RealtimeClient,
  type ConnectionState,
  type RealtimeOptions,
} from '@/lib/socket/client';
import { FakeWebSocket } from '@/testing/fake-websocket';

/** A client on fake collaborators; every ticket is different, like the real single-use ones. */
function setup(overrides: Partial<RealtimeOptions> = {}) {
  let tickets = 0;
  const network = new EventTarget();
  let online = true;
  const getUrl = vi.fn(async () => {
    tickets += 1;
    return `ws://test/ws?ticket=t${tickets}`;
  });
  const client = new RealtimeClient({
    getUrl,
    createSocket: (url) => new FakeWebSocket(url),
    network,
    isOnline: () => online,
    random: () => 0.5, // no jitter
    ...overrides,
  });
  const states: ConnectionState[] = [];
  client.subscribeState(() => states.push(client.getState()));
  return {
    client,
    getUrl,
    states,
    goOffline() {
      online = false;
      network.dispatchEvent(new Event('offline'));
    },
    goOnline() {
      online = true;
      network.dispatchEvent(new Event('online'));
    },
    setOnline(value: boolean) {
      online = value;
    },
  };
}

/** Lets the pending ticket promise resolve. */
const flush = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
  FakeWebSocket.reset();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('backoffDelay', () => {
  it('doubles from 1 s and stops at 30 s', () => {
    const none = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 6, 10, 100].map((n) => backoffDelay(n, none))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000,
    ]);
  });

  it('adds at most ±20 % jitter and never exceeds 30 s', () => {
    expect(backoffDelay(0, () => 0)).toBe(800);
    expect(backoffDelay(0, () => 0.999999)).toBe(1200);
    expect(backoffDelay(3, () => 0)).toBe(6400);
    expect(backoffDelay(8, () => 0.999999)).toBe(30000);
    for (let i = 0; i < 50; i += 1) {
      const delay = backoffDelay(2);
      expect(delay).toBeGreaterThanOrEqual(3200);
      expect(delay).toBeLessThanOrEqual(4800);
    }
  });
});

describe('RealtimeClient', () => {
  it('connects with a fresh ticket and reports connecting → connected', async () => {
    const { client, getUrl, states } = setup();
    expect(client.getState()).toBe('idle');
    client.start();
    expect(client.getState()).toBe('connecting');
    await flush();
    expect(getUrl).toHaveBeenCalledTimes(1);
    const socket = FakeWebSocket.last()!;
    expect(socket.url).toBe('ws://test/ws?ticket=t1');
    socket.open();
    expect(client.getState()).toBe('connected');
    expect(states).toEqual(['connecting', 'connected']);
    client.stop();
    expect(client.getState()).toBe('idle');
    expect(socket.closedWith?.code).toBe(1000);
  });

  it('start() twice opens one socket', async () => {
    const { client } = setup();
    client.start();
    client.start();
    await flush();
    expect(FakeWebSocket.instances).toHaveLength(1);
    client.stop();
  });

  it('dispatches frames by type and to "*" subscribers; bad frames are ignored', async () => {
    const { client } = setup();
    const system = vi.fn();
    const all = vi.fn();
    const errors = vi.fn();
    const unsubscribe = client.subscribe('system', system);
    client.subscribe('*', all);
    client.subscribe('error', errors);
    client.start();
    await flush();
    const socket = FakeWebSocket.last()!;
    socket.open();

    const frame = {
      type: 'system',
      event: 'member_added',
      room_id: 'r1',
      user_id: 'chen.editor@plant.test',
      timestamp: '2025-11-17T10:00:00.000Z',
    };
    socket.receive(frame);
    socket.receive('garbage');
    socket.receive({ type: 'error', code: 'validation_error', message: 'bad' });
    expect(system).toHaveBeenCalledWith(frame);
    expect(errors).toHaveBeenCalledTimes(1);
    expect(all).toHaveBeenCalledTimes(2);
    // an error frame does not close the socket
    expect(client.getState()).toBe('connected');

    unsubscribe();
    socket.receive(frame);
    expect(system).toHaveBeenCalledTimes(1);
    client.stop();
  });

  it('a throwing subscriber does not stop the others', async () => {
    const { client } = setup();
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const second = vi.fn();
    client.subscribe('pong', () => {
      throw new Error('boom');
    });
    client.subscribe('pong', second);
    client.start();
    await flush();
    FakeWebSocket.last()!.open();
    FakeWebSocket.last()!.receive({ type: 'pong' });
    expect(second).toHaveBeenCalled();
    expect(spy).toHaveBeenCalled();
    client.stop();
  });

  it('send() works only while connected', async () => {
    const { client } = setup();
    expect(client.send({ type: 'typing', room_id: 'r1', is_typing: true })).toBe(false);
    client.start();
    await flush();
    const socket = FakeWebSocket.last()!;
    expect(client.send({ type: 'typing', room_id: 'r1', is_typing: true })).toBe(false);
    socket.open();
    expect(client.send({ type: 'typing', room_id: 'r1', is_typing: true })).toBe(true);
    expect(socket.sentFrames).toEqual([{ type: 'typing', room_id: 'r1', is_typing: true }]);
    client.stop();
  });

  it('pings every 30 s and stays connected while pongs come back', async () => {
    const { client } = setup();
    client.start();
    await flush();
    const socket = FakeWebSocket.last()!;
    socket.open();

    await vi.advanceTimersByTimeAsync(PING_INTERVAL_MS - 1);
    expect(socket.sent).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(socket.sentFrames).toEqual([{ type: 'ping' }]);
    await vi.advanceTimersByTimeAsync(5_000);
    socket.receive({ type: 'pong' });
    await vi.advanceTimersByTimeAsync(PING_INTERVAL_MS);
    expect(socket.sentFrames).toEqual([{ type: 'ping' }, { type: 'ping' }]);
    socket.receive({ type: 'pong' });
    await vi.advanceTimersByTimeAsync(PONG_TIMEOUT_MS * 2);
    expect(client.getState()).toBe('connected');
    expect(FakeWebSocket.instances).toHaveLength(1);
    client.stop();
  });

  it('closes and reconnects with a new ticket when no pong arrives within 10 s', async () => {
    const { client, getUrl } = setup();
    client.start();
    await flush();
    const first = FakeWebSocket.last()!;
    first.open();

    await vi.advanceTimersByTimeAsync(PING_INTERVAL_MS);
    expect(first.sentFrames).toEqual([{ type: 'ping' }]);
    await vi.advanceTimersByTimeAsync(PONG_TIMEOUT_MS - 1);
    expect(client.getState()).toBe('connected');
    await vi.advanceTimersByTimeAsync(1);
    expect(first.closedWith?.code).toBe(4002);
    expect(client.getState()).toBe('reconnecting');

    // first retry after ~1 s, with a new single-use ticket
    await vi.advanceTimersByTimeAsync(1_000);
    expect(getUrl).toHaveBeenCalledTimes(2);
    const second = FakeWebSocket.last()!;
    expect(second).not.toBe(first);
    expect(second.url).toBe('ws://test/ws?ticket=t2');
    second.open();
    expect(client.getState()).toBe('connected');
    // a late close of the dead socket changes nothing
    first.serverClose();
    expect(client.getState()).toBe('connected');
    client.stop();
  });

  it('backs off 1, 2, 4, 8 … 30 s between failed attempts and resets after a success', async () => {
    const { client, getUrl } = setup();
    client.start();
    await flush();
    FakeWebSocket.last()!.open();
    FakeWebSocket.last()!.serverClose();
    expect(client.getState()).toBe('reconnecting');

    const expected = [1000, 2000, 4000, 8000, 16000, 30000, 30000];
    for (const delay of expected) {
      const before = getUrl.mock.calls.length;
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(getUrl.mock.calls.length).toBe(before);
      await vi.advanceTimersByTimeAsync(1);
      expect(getUrl.mock.calls.length).toBe(before + 1);
      expect(client.getState()).toBe('reconnecting');
      FakeWebSocket.last()!.serverClose(); // handshake refused
    }

    // success resets the schedule
    await vi.advanceTimersByTimeAsync(30_000);
    FakeWebSocket.last()!.open();
    expect(client.getState()).toBe('connected');
    FakeWebSocket.last()!.serverClose();
    const before = getUrl.mock.calls.length;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(getUrl.mock.calls.length).toBe(before + 1);
    client.stop();
  });

  it('retries with backoff when the ticket request fails on the network', async () => {
    let fail = true;
    const getUrl = vi.fn(async () => {
      if (fail) throw new ApiError(0, 'network_error', 'Network error');
      return 'ws://test/ws?ticket=ok';
    });
    const { client } = setup({ getUrl });
    client.start();
    await flush();
    expect(client.getState()).toBe('reconnecting');
    expect(FakeWebSocket.instances).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(getUrl).toHaveBeenCalledTimes(2);
    fail = false;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(FakeWebSocket.last()?.url).toBe('ws://test/ws?ticket=ok');
    client.stop();
  });

  it('gives up quietly when the ticket is refused for lack of a session', async () => {
    const getUrl = vi.fn(async () => {
      throw new ApiError(401, 'unauthorized', 'no session');
    });
    const { client } = setup({ getUrl });
    client.start();
    await flush();
    expect(client.getState()).toBe('offline');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(getUrl).toHaveBeenCalledTimes(1);
    client.stop();
  });

  it('goes offline on the offline event and reconnects at once when back online', async () => {
    const { client, getUrl, goOffline, goOnline } = setup();
    client.start();
    await flush();
    const socket = FakeWebSocket.last()!;
    socket.open();

    goOffline();
    expect(client.getState()).toBe('offline');
    expect(socket.closedWith).not.toBeNull();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(getUrl).toHaveBeenCalledTimes(1); // nothing attempted while offline

    goOnline();
    expect(client.getState()).toBe('reconnecting');
    await flush();
    expect(getUrl).toHaveBeenCalledTimes(2);
    FakeWebSocket.last()!.open();
    expect(client.getState()).toBe('connected');
    client.stop();
  });

  it('starts offline when the browser is offline', async () => {
    const { client, getUrl, goOnline, setOnline } = setup();
    setOnline(false);
    client.start();
    expect(client.getState()).toBe('offline');
    await flush();
    expect(getUrl).not.toHaveBeenCalled();
    goOnline();
    await flush();
    expect(getUrl).toHaveBeenCalledTimes(1);
    client.stop();
  });

  it('a lost connection while the browser is offline waits for the online event', async () => {
    const { client, getUrl, setOnline } = setup();
    client.start();
    await flush();
    FakeWebSocket.last()!.open();
    setOnline(false);
    FakeWebSocket.last()!.serverClose();
    expect(client.getState()).toBe('offline');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(getUrl).toHaveBeenCalledTimes(1);
    client.stop();
  });

  it('stop() cancels a pending reconnect and a late ticket answer', async () => {
    const { client, getUrl } = setup();
    client.start();
    await flush();
    FakeWebSocket.last()!.open();
    FakeWebSocket.last()!.serverClose();
    client.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(getUrl).toHaveBeenCalledTimes(1);

    // stop while the ticket is on its way: no socket is opened afterwards
    client.start();
    client.stop();
    await flush();
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(client.getState()).toBe('idle');
  });

  it('counts opens so a reconnect can be told from the first connect', async () => {
    const { client } = setup();
    client.start();
    await flush();
    FakeWebSocket.last()!.open();
    expect(client.openCount).toBe(1);
    FakeWebSocket.last()!.serverClose();
    await vi.advanceTimersByTimeAsync(1_000);
    FakeWebSocket.last()!.open();
    expect(client.openCount).toBe(2);
    client.stop();
  });
});
