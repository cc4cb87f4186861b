import { afterEach, describe, expect, it, vi } from 'vitest';
import { inAppPath } from '@/features/notifications/hooks/use-service-worker';
import { describeBrowser } from '@/features/notifications/utils/describe-browser';
import {
  applicationServerKey,
  askNotificationPermission,
  isIos,
  PushProblem,
  pushSupport,
  subscribeThisBrowser,
  subscriptionBody,
  unsubscribeThisBrowser,
} from '@/features/notifications/utils/web-push';
import { base64url, BROWSER_KEYS, installFakePush, OTHER_KEY, PUBLIC_KEY, type FakeBrowser } from '@/features/notifications/__tests__/push-fakes';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const ANDROID_CHROME = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
const WINDOWS_EDGE = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0';

let browser: FakeBrowser | null = null;

afterEach(() => {
  browser?.uninstall();
  browser = null;
});

describe('applicationServerKey', () => {
  it('decodes a base64url uncompressed P-256 point (65 bytes, 0x04 first)', () => {
    const key = applicationServerKey(PUBLIC_KEY);
    expect(key).toHaveLength(65);
    expect(key[0]).toBe(4);
    expect(key[64]).toBe(64);
    expect(base64url(key)).toBe(PUBLIC_KEY);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'abc$%^'],
    ['too short', base64url(Uint8Array.from([4, 1, 2, 3]))],
    ['compressed point', base64url(Uint8Array.from({ length: 33 }, (_, i) => (i === 0 ? 2 : i)))],
    ['65 bytes not starting with 0x04', base64url(Uint8Array.from({ length: 65 }, () => 7))],
  ])('refuses a key that is %s', (_, key) => {
    expect(() => applicationServerKey(key)).toThrow(PushProblem);
  });
});

describe('pushSupport', () => {
  it('is "unsupported" without the APIs (jsdom, old browsers)', () => {
    expect(pushSupport()).toBe('unsupported');
  });

  it('is "supported" with a service worker, PushManager and Notification', () => {
    browser = installFakePush();
    expect(pushSupport()).toBe('supported');
  });

  it('is "ios-install" in an iPhone browser tab (push needs the home-screen app)', () => {
    vi.spyOn(navigator, 'userAgent', 'get').mockReturnValue(IPHONE);
    expect(isIos()).toBe(true);
    expect(pushSupport()).toBe('ios-install');
  });

  it('recognises an iPad that calls itself a Mac', () => {
    expect(isIos({ userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)', platform: 'MacIntel', maxTouchPoints: 5 })).toBe(true);
    expect(isIos({ userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)', platform: 'MacIntel', maxTouchPoints: 0 })).toBe(false);
  });
});

describe('permission', () => {
  it('prompts only while the answer is unknown', async () => {
    browser = installFakePush({ permission: 'denied' });
    expect(await askNotificationPermission()).toBe('denied');
    expect(browser.requestPermission).not.toHaveBeenCalled();
    browser.permission = 'default';
    browser.answer = 'granted';
    expect(await askNotificationPermission()).toBe('granted');
    expect(browser.requestPermission).toHaveBeenCalledTimes(1);
  });
});

describe('subscribing this browser', () => {
  it('subscribes with userVisibleOnly and the server key, and reuses a subscription made with the same key', async () => {
    browser = installFakePush({ permission: 'granted' });
    const first = await subscribeThisBrowser(PUBLIC_KEY);
    expect(browser.pushManager.subscribeCalls).toHaveLength(1);
    expect(browser.pushManager.subscribeCalls[0]!.userVisibleOnly).toBe(true);
    expect(base64url(browser.pushManager.subscribeCalls[0]!.applicationServerKey as Uint8Array)).toBe(PUBLIC_KEY);

    const again = await subscribeThisBrowser(PUBLIC_KEY);
    expect(again).toBe(first);
    expect(browser.pushManager.subscribeCalls).toHaveLength(1);
  });

  it('replaces a subscription made with an older server key', async () => {
    browser = installFakePush({ permission: 'granted' });
    const old = await subscribeThisBrowser(OTHER_KEY);
    const renewed = await subscribeThisBrowser(PUBLIC_KEY);
    expect(old).not.toBe(renewed);
    expect((old as unknown as { unsubscribed: boolean }).unsubscribed).toBe(true);
    expect(browser.pushManager.subscribeCalls).toHaveLength(2);
  });

  it('registers the service worker first when it is not there yet', async () => {
    browser = installFakePush({ permission: 'granted', registered: false });
    await subscribeThisBrowser(PUBLIC_KEY);
    expect(browser.register).toHaveBeenCalledWith('/sw.js', { scope: '/' });
  });

  it('turns the browser refusing into a "denied" problem', async () => {
    browser = installFakePush({ permission: 'denied' });
    await expect(subscribeThisBrowser(PUBLIC_KEY)).rejects.toMatchObject({ code: 'denied' });
  });

  it('sends the endpoint, the keys and the browser (not expirationTime, which the API has no use for)', async () => {
    browser = installFakePush({ permission: 'granted' });
    const body = subscriptionBody(await subscribeThisBrowser(PUBLIC_KEY));
    expect(Object.keys(body).sort()).toEqual(['endpoint', 'keys', 'user_agent']);
    expect(body.endpoint).toMatch(/^https:\/\/fcm\.googleapis\.com\//);
    expect(body.keys).toEqual(BROWSER_KEYS);
    expect(body.user_agent!.length).toBeLessThanOrEqual(256);
  });

  it('unsubscribing returns the endpoint for the server, or null when there was nothing', async () => {
    browser = installFakePush({ permission: 'granted' });
    expect(await unsubscribeThisBrowser()).toBeNull();
    const subscription = await subscribeThisBrowser(PUBLIC_KEY);
    expect(await unsubscribeThisBrowser()).toBe(subscription.endpoint);
    expect(await browser.pushManager.getSubscription()).toBeNull();
  });
});

describe('describeBrowser', () => {
  it.each([
    [ANDROID_CHROME, 'Chrome · Android'],
    [WINDOWS_EDGE, 'Edge · Windows'],
    [IPHONE, 'Safari · iOS'],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 'Firefox · Linux'],
    ['', null],
    ['curl/8.0', null],
  ])('%s → %s', (ua, expected) => {
    expect(describeBrowser(ua)).toBe(expected);
  });
});

describe('inAppPath (the service worker asking a tab to open a url)', () => {
  it('follows an in-app path', () => {
    expect(inAppPath({ type: 'open-url', url: '/rooms/r1' })).toBe('/rooms/r1');
  });

  it.each([
    ['another site', { type: 'open-url', url: 'https://evil.example/' }],
    ['a protocol-relative url', { type: 'open-url', url: '//evil.example/x' }],
    ['a backslash trick', { type: 'open-url', url: '/\\evil.example' }],
    ['a javascript: url', { type: 'open-url', url: 'javascript:alert(1)' }],
    ['another message type', { type: 'push-shown', url: '/rooms/r1' }],
    ['no url', { type: 'open-url' }],
    ['not an object', 'open-url'],
  ])('ignores %s', (_, message) => {
    expect(inAppPath(message)).toBeNull();
  });
});
