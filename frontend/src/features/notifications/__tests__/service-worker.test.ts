/**
 * public/sw.js run against a fake service worker global: the push → notification mapping and
 * what a click opens. (The real thing runs in chromium in e2e/push.mjs.)
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';

// vitest runs in frontend/
const SOURCE = readFileSync(resolve(process.cwd(), 'public/sw.js'), 'utf8');
const ORIGIN = 'https://irs.plant.example';

type Listener = (event: Record<string, unknown>) => void;
type FakeClient = {
  url: string;
  focused: boolean;
  visibilityState: 'visible' | 'hidden';
  postMessage: ReturnType<typeof vi.fn>;
  focus: ReturnType<typeof vi.fn>;
};
type Shown = { title: string; options: Record<string, unknown> & { tag?: string; data: { url: string } }; close: () => void };

function client(url: string, state: Partial<FakeClient> = {}): FakeClient {
  const self: FakeClient = {
    url,
    focused: false,
    visibilityState: 'hidden',
    postMessage: vi.fn(),
    focus: vi.fn(async () => self),
    ...state,
  };
  return self;
}

function loadWorker() {
  const listeners: Record<string, Listener[]> = {};
  const shown: Shown[] = [];
  const windows: FakeClient[] = [];
  const worker = {
    location: new URL(`${ORIGIN}/sw.js`),
    addEventListener: (type: string, listener: Listener) => {
      (listeners[type] ??= []).push(listener);
    },
    skipWaiting: vi.fn(async () => undefined),
    registration: {
      showNotification: vi.fn(async (title: string, options: Shown['options']) => {
        const notification: Shown = {
          title,
          options,
          close: () => shown.splice(shown.indexOf(notification), 1),
        };
        const same = shown.findIndex((n) => options.tag && n.options.tag === options.tag);
        if (same >= 0) shown.splice(same, 1, notification);
        else shown.push(notification);
      }),
      getNotifications: vi.fn(async ({ tag }: { tag?: string } = {}) =>
        shown.filter((n) => !tag || n.options.tag === tag).map((n) => ({ ...n, data: n.options.data, tag: n.options.tag })),
      ),
    },
    clients: {
      claim: vi.fn(async () => undefined),
      matchAll: vi.fn(async () => windows),
      openWindow: vi.fn(async (url: string) => client(`${ORIGIN}${url}`)),
    },
  };
  new Function('self', SOURCE)(worker);

  async function dispatch(type: string, event: Record<string, unknown>) {
    const waits: Promise<unknown>[] = [];
    for (const listener of listeners[type] ?? []) listener({ ...event, waitUntil: (p: Promise<unknown>) => waits.push(p) });
    await Promise.all(waits);
  }

  const push = (payload: unknown) =>
    dispatch('push', {
      data: {
        json: () => (typeof payload === 'string' ? JSON.parse(payload) : payload),
        text: () => (typeof payload === 'string' ? payload : JSON.stringify(payload)),
      },
    });

  const click = async (index = 0) => {
    const n = shown[index]!;
    await dispatch('notificationclick', { notification: { ...n, data: n.options.data, close: n.close } });
  };

  return { worker, shown, windows, dispatch, push, click };
}

const PAYLOAD = {
  title: '升級通報：Line 3 溫度異常',
  body: '已 10 分鐘無人接手',
  url: '/rooms/00000000-0000-4000-8000-000000000001',
  tag: '50000000-0000-4000-8000-000000000001',
  kind: 'escalation',
  room_id: '00000000-0000-4000-8000-000000000001',
};

let sw: ReturnType<typeof loadWorker>;

beforeEach(() => {
  sw = loadWorker();
});

describe('service worker: push', () => {
  it('shows the payload as a notification: body, tag, url, icons, zh-TW, escalations stay', async () => {
    await sw.push(PAYLOAD);
    expect(sw.worker.registration.showNotification).toHaveBeenCalledWith(PAYLOAD.title, {
      body: PAYLOAD.body,
      tag: PAYLOAD.tag,
      icon: '/icons/icon-192.png',
      badge: '/icons/badge-96.png',
      lang: 'zh-TW',
      requireInteraction: true,
      data: { url: PAYLOAD.url, kind: 'escalation', room_id: PAYLOAD.room_id },
    });
  });

  it('lets other kinds go away by themselves', async () => {
    await sw.push({ ...PAYLOAD, kind: 'mention' });
    expect(sw.shown[0]!.options.requireInteraction).toBe(false);
  });

  it('shows a repeated delivery (same tag) once', async () => {
    await sw.push(PAYLOAD);
    await sw.push(PAYLOAD);
    expect(sw.shown).toHaveLength(1);
  });

  it.each([
    ['another site', 'https://evil.example/rooms/x'],
    ['a protocol-relative url', '//evil.example/x'],
    ['javascript:', 'javascript:alert(1)'],
    ['no url', undefined],
  ])('opens the inbox instead of %s', async (_, url) => {
    await sw.push({ ...PAYLOAD, url });
    expect(sw.shown[0]!.options.data.url).toBe('/notifications');
  });

  it('still shows something for a payload that is not JSON or is empty (every push must show one)', async () => {
    await sw.push('plain text');
    expect(sw.shown[0]!.title).toBe('生產線異常即時反應系統');
    expect(sw.shown[0]!.options.body).toBe('plain text');
    await sw.dispatch('push', { data: null });
    expect(sw.worker.registration.showNotification).toHaveBeenCalledTimes(2);
  });
});

describe('service worker: clicking a notification', () => {
  it('asks an open tab of the app to open the room and focuses it', async () => {
    const other = client('https://elsewhere.example/');
    const hidden = client(`${ORIGIN}/board`);
    const visible = client(`${ORIGIN}/rooms`, { visibilityState: 'visible' });
    sw.windows.push(other, hidden, visible);
    await sw.push(PAYLOAD);
    await sw.click();

    expect(visible.postMessage).toHaveBeenCalledWith({ type: 'open-url', url: PAYLOAD.url });
    expect(visible.focus).toHaveBeenCalled();
    expect(hidden.postMessage).not.toHaveBeenCalled();
    expect(other.postMessage).not.toHaveBeenCalled();
    expect(sw.worker.clients.openWindow).not.toHaveBeenCalled();
    expect(sw.shown).toHaveLength(0); // closed
  });

  it('opens a new window at the room when no tab is open', async () => {
    await sw.push(PAYLOAD);
    await sw.click();
    expect(sw.worker.clients.openWindow).toHaveBeenCalledWith(PAYLOAD.url);
  });

  it('still sends the tab to the room when focusing is not allowed', async () => {
    const tab = client(`${ORIGIN}/rooms`);
    tab.focus.mockRejectedValue(new DOMException('Not allowed to focus a window.', 'InvalidAccessError'));
    sw.windows.push(tab);
    await sw.push(PAYLOAD);
    await expect(sw.click()).resolves.toBeUndefined();
    expect(tab.postMessage).toHaveBeenCalledWith({ type: 'open-url', url: PAYLOAD.url });
  });

  it('the test hook runs the same click for the shown notification with that tag, and nothing for an unknown tag', async () => {
    const tab = client(`${ORIGIN}/rooms`, { focused: true });
    sw.windows.push(tab);
    await sw.push(PAYLOAD);
    await sw.dispatch('message', { data: { type: 'test:notificationclick', tag: 'unknown' } });
    expect(tab.postMessage).not.toHaveBeenCalled();
    await sw.dispatch('message', { data: { type: 'test:notificationclick', tag: PAYLOAD.tag } });
    expect(tab.postMessage).toHaveBeenCalledWith({ type: 'open-url', url: PAYLOAD.url });
    expect(sw.shown).toHaveLength(0);
    await sw.dispatch('message', { data: { type: 'something-else' } });
    await sw.dispatch('message', { data: null });
  });
});

describe('service worker: lifecycle', () => {
  it('takes over at once (a new version does not wait for every tab to close)', async () => {
    await sw.dispatch('install', {});
    await sw.dispatch('activate', {});
    expect(sw.worker.skipWaiting).toHaveBeenCalled();
    expect(sw.worker.clients.claim).toHaveBeenCalled();
  });
});
