import { act, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { endSession } from '@/lib/api-client';
import { loginAs } from '@/testing/test-utils';
import { useServiceWorker } from '@/features/notifications/hooks/use-service-worker';
import { subscribeThisBrowser } from '@/features/notifications/utils/web-push';
import { installFakePush, PUBLIC_KEY, type FakeBrowser } from '@/features/notifications/__tests__/push-fakes';

let browser: FakeBrowser | null = null;

afterEach(() => {
  browser?.uninstall();
  browser = null;
});

describe('useServiceWorker (mounted once by the app)', () => {
  it('registers public/sw.js for the whole app on load without asking for anything', async () => {
    browser = installFakePush({ registered: false });
    renderHook(() => useServiceWorker(vi.fn()));
    await waitFor(() => expect(browser!.register).toHaveBeenCalledWith('/sw.js', { scope: '/' }));
    expect(browser.requestPermission).not.toHaveBeenCalled();
  });

  it('opens the room a clicked notification names, and ignores anything but an in-app path', async () => {
    browser = installFakePush();
    const navigate = vi.fn();
    renderHook(() => useServiceWorker(navigate));
    act(() => browser!.messageFromWorker({ type: 'open-url', url: 'https://evil.example/' }));
    act(() => browser!.messageFromWorker({ type: 'open-url', url: '/rooms/r1' }));
    expect(navigate).toHaveBeenCalledTimes(1);
    expect(navigate).toHaveBeenCalledWith('/rooms/r1');
  });

  it('ends this browser’s push subscription on logout, not when the session merely expires', async () => {
    browser = installFakePush({ permission: 'granted' });
    loginAs('chen.editor');
    await subscribeThisBrowser(PUBLIC_KEY);
    renderHook(() => useServiceWorker(vi.fn()));

    act(() => endSession('expired'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await browser.pushManager.getSubscription()).not.toBeNull();

    loginAs('chen.editor');
    act(() => endSession('logout'));
    await waitFor(async () => expect(await browser!.pushManager.getSubscription()).toBeNull());
  });

  it('does nothing where there is no service worker (jsdom, old browsers)', () => {
    const navigate = vi.fn();
    expect(() => renderHook(() => useServiceWorker(navigate))).not.toThrow();
  });
});
