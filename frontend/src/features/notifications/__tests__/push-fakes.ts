/**
 * Test doubles for Web Push: the two `/api/me/…` endpoints of the backend contract (MSW, with
 * the API's error shape) and a browser with Notification / PushManager / a service worker.
 */
import { http, HttpResponse } from 'msw';
import { vi } from 'vitest';
import { apiError, caller, requireAuth, validationError, type Detail } from '@/testing/mocks/handlers';
import { server } from '@/testing/mocks/server';
import type { NotificationSettings, SubscribedDevice } from '@/features/notifications/settings-types';

/** A valid VAPID public key: base64url of an uncompressed P-256 point (0x04 ‖ X ‖ Y, 65 bytes). */
export const PUBLIC_KEY = base64url(Uint8Array.from({ length: 65 }, (_, i) => (i === 0 ? 4 : i)));
export const OTHER_KEY = base64url(Uint8Array.from({ length: 65 }, (_, i) => (i === 0 ? 4 : 200 - i)));

export function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** What a browser's subscription carries (sizes as the API checks them: 65-byte point, 16-byte secret). */
export const BROWSER_KEYS = {
  p256dh: base64url(Uint8Array.from({ length: 65 }, (_, i) => (i === 0 ? 4 : (i * 7) % 256))),
  auth: base64url(Uint8Array.from({ length: 16 }, (_, i) => i + 1)),
};

export type RecordedRequest = { method: string; path: string; body: unknown };

export const pushApi = {
  settings: null as NotificationSettings | null,
  publicKey: PUBLIC_KEY,
  subscriptions: [] as Array<SubscribedDevice & { endpoint: string; user: string }>,
  requests: [] as RecordedRequest[],
  failPut: false,
};

export function defaultSettings(): NotificationSettings {
  return {
    email: true,
    web_push: false,
    kinds: { mention: true, escalation: true, added_to_room: true, room_acknowledged: false, room_resolved: true },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkSettings(body: unknown): Detail[] {
  if (!isObject(body)) return [{ field: 'body', message: 'Input should be an object' }];
  const details: Detail[] = [];
  for (const key of Object.keys(body)) {
    if (!['email', 'web_push', 'kinds'].includes(key)) details.push({ field: key, message: 'Extra inputs are not permitted' });
  }
  for (const key of ['email', 'web_push']) {
    if (typeof body[key] !== 'boolean') details.push({ field: key, message: 'Input should be a valid boolean' });
  }
  if (!isObject(body.kinds)) details.push({ field: 'kinds', message: 'Input should be an object' });
  return details;
}

function checkSubscription(body: unknown): Detail[] {
  if (!isObject(body)) return [{ field: 'body', message: 'Input should be an object' }];
  const details: Detail[] = [];
  // like the API: extra fields (the browser's expirationTime) are ignored
  if (typeof body.user_agent === 'string' && body.user_agent.length > 300) details.push({ field: 'user_agent', message: 'String too long' });
  if (typeof body.endpoint !== 'string' || !body.endpoint.startsWith('https://')) {
    details.push({ field: 'endpoint', message: 'URL scheme should be https' });
  }
  const keys = body.keys;
  if (!isObject(keys) || typeof keys.p256dh !== 'string' || keys.p256dh.length < 40 || typeof keys.auth !== 'string' || keys.auth.length < 16) {
    details.push({ field: 'keys', message: 'Field required' });
  }
  return details;
}

async function record(request: Request): Promise<void> {
  const text = request.method === 'GET' ? '' : await request.clone().text();
  pushApi.requests.push({ method: request.method, path: new URL(request.url).pathname, body: text ? JSON.parse(text) : undefined });
}

const pushHandlers = [
  http.get('*/api/me/notification-settings', async ({ request }) => {
    await record(request);
    return requireAuth(request) ?? HttpResponse.json(pushApi.settings ?? defaultSettings());
  }),
  http.put('*/api/me/notification-settings', async ({ request }) => {
    await record(request);
    const denied = requireAuth(request);
    if (denied) return denied;
    if (pushApi.failPut) return apiError(503, 'unavailable', 'Service unavailable');
    const body = (await request.json()) as NotificationSettings;
    const details = checkSettings(body);
    if (details.length) return validationError(details);
    pushApi.settings = { ...body, kinds: { ...body.kinds, escalation: true } };
    return HttpResponse.json(pushApi.settings);
  }),
  http.get('*/api/me/push-subscriptions', async ({ request }) => {
    await record(request);
    const denied = requireAuth(request);
    if (denied) return denied;
    const user = caller(request).user_id;
    const mine = pushApi.subscriptions.filter((s) => s.user === user);
    return HttpResponse.json({
      public_key: pushApi.publicKey,
      subscriptions: mine.map(({ subscription_id, endpoint_host, user_agent, created_at }) => ({
        subscription_id,
        endpoint_host,
        user_agent,
        created_at,
      })),
    });
  }),
  http.post('*/api/me/push-subscriptions', async ({ request }) => {
    await record(request);
    const denied = requireAuth(request);
    if (denied) return denied;
    const body = (await request.json()) as { endpoint: string; user_agent?: string };
    const details = checkSubscription(body);
    if (details.length) return validationError(details);
    const user = caller(request).user_id;
    let stored = pushApi.subscriptions.find((s) => s.endpoint === body.endpoint && s.user === user);
    if (!stored) {
      stored = {
        subscription_id: `sub-${pushApi.subscriptions.length + 1}`,
        endpoint: body.endpoint,
        endpoint_host: new URL(body.endpoint).host,
        user_agent: body.user_agent ?? '',
        created_at: '2026-11-30T08:00:00Z',
        user,
      };
      pushApi.subscriptions.push(stored);
    }
    const { subscription_id, endpoint_host, user_agent, created_at } = stored;
    return HttpResponse.json({ subscription_id, endpoint_host, user_agent, created_at }, { status: 201 });
  }),
  http.delete('*/api/me/push-subscriptions', async ({ request }) => {
    await record(request);
    const denied = requireAuth(request);
    if (denied) return denied;
    const body = (await request.json()) as { endpoint?: unknown };
    if (typeof body?.endpoint !== 'string') return validationError([{ field: 'endpoint', message: 'Field required' }]);
    pushApi.subscriptions = pushApi.subscriptions.filter((s) => s.endpoint !== body.endpoint);
    return new HttpResponse(null, { status: 204 });
  }),
];

/** Resets the fake backend and installs its handlers (call in `beforeEach`). */
export function usePushApi(): void {
  pushApi.settings = defaultSettings();
  pushApi.publicKey = PUBLIC_KEY;
  pushApi.subscriptions = [];
  pushApi.requests = [];
  pushApi.failPut = false;
  server.use(...pushHandlers);
}

export function requestsTo(method: string, path: string): RecordedRequest[] {
  return pushApi.requests.filter((r) => r.method === method && r.path === path);
}

// ---- the browser -----------------------------------------------------------------------------

export class FakePushSubscription {
  unsubscribed = false;

  constructor(
    readonly endpoint: string,
    readonly options: { applicationServerKey: ArrayBuffer | null; userVisibleOnly: boolean },
    private readonly manager: FakePushManager,
  ) {}

  toJSON() {
    return { endpoint: this.endpoint, expirationTime: null, keys: BROWSER_KEYS };
  }

  async unsubscribe(): Promise<boolean> {
    this.unsubscribed = true;
    if (this.manager.subscription === this) this.manager.subscription = null;
    return true;
  }
}

export class FakePushManager {
  subscription: FakePushSubscription | null = null;
  subscribeCalls: Array<{ userVisibleOnly?: boolean; applicationServerKey?: unknown }> = [];
  count = 0;

  constructor(private readonly browser: FakeBrowser) {}

  async getSubscription() {
    return this.subscription;
  }

  async subscribe(options: { userVisibleOnly?: boolean; applicationServerKey?: Uint8Array }) {
    this.subscribeCalls.push(options);
    if (this.browser.permission !== 'granted') throw new DOMException('Registration failed - permission denied', 'NotAllowedError');
    const key = options.applicationServerKey!;
    this.count += 1;
    this.subscription = new FakePushSubscription(
      `https://fcm.googleapis.com/fcm/send/device-${this.count}`,
      { applicationServerKey: key.slice().buffer, userVisibleOnly: Boolean(options.userVisibleOnly) },
      this,
    );
    return this.subscription;
  }
}

export type FakeBrowser = {
  permission: NotificationPermission;
  /** What the permission prompt answers. */
  answer: NotificationPermission;
  requestPermission: ReturnType<typeof vi.fn>;
  register: ReturnType<typeof vi.fn>;
  pushManager: FakePushManager;
  registered: boolean;
  /** Sends a message from the service worker to the page. */
  messageFromWorker: (data: unknown) => void;
  uninstall: () => void;
};

/** Puts Notification, PushManager and navigator.serviceWorker into jsdom (which has none of them). */
export function installFakePush({
  permission = 'default',
  answer = 'granted',
  registered = true,
}: { permission?: NotificationPermission; answer?: NotificationPermission; registered?: boolean } = {}): FakeBrowser {
  const listeners = new Set<(event: MessageEvent) => void>();
  const browser = { permission, answer, registered } as FakeBrowser;
  browser.pushManager = new FakePushManager(browser);
  const registration = { active: {}, pushManager: browser.pushManager, scope: '/' };
  browser.requestPermission = vi.fn(async () => {
    browser.permission = browser.answer;
    return browser.answer;
  });
  browser.register = vi.fn(async () => {
    browser.registered = true;
    return registration;
  });
  const Notification = { requestPermission: browser.requestPermission };
  Object.defineProperty(Notification, 'permission', { get: () => browser.permission });
  const container = {
    register: browser.register,
    getRegistration: vi.fn(async () => (browser.registered ? registration : undefined)),
    get ready() {
      return Promise.resolve(registration);
    },
    addEventListener: (type: string, listener: (event: MessageEvent) => void) => {
      if (type === 'message') listeners.add(listener);
    },
    removeEventListener: (type: string, listener: (event: MessageEvent) => void) => {
      if (type === 'message') listeners.delete(listener);
    },
  };
  Object.defineProperty(window, 'Notification', { configurable: true, writable: true, value: Notification });
  Object.defineProperty(window, 'PushManager', { configurable: true, writable: true, value: class PushManager {} });
  Object.defineProperty(navigator, 'serviceWorker', { configurable: true, value: container });
  browser.messageFromWorker = (data) => {
    const event = new MessageEvent('message', { data });
    listeners.forEach((listener) => listener(event));
  };
  browser.uninstall = () => {
    delete (window as unknown as Record<string, unknown>).Notification;
    delete (window as unknown as Record<string, unknown>).PushManager;
    delete (navigator as unknown as Record<string, unknown>).serviceWorker;
  };
  return browser;
}
