import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openAppSocket, serverSends } from '@/testing/realtime';
import { renderApp } from '@/testing/test-utils';
import { PUSH_PROMPT_DISMISSED_KEY } from '@/features/notifications/components/push-prompt';
import {
  installFakePush,
  pushApi,
  requestsTo,
  usePushApi,
  type FakeBrowser,
} from '@/features/notifications/__tests__/push-fakes';

let browser: FakeBrowser | null = null;
let sequence = 0;

beforeEach(() => usePushApi());

afterEach(() => {
  browser?.uninstall();
  browser = null;
});

function notification(kind: string) {
  sequence += 1;
  return {
    type: 'notification',
    notification: {
      notification_id: `60000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
      kind,
      room_id: '00000000-0000-4000-8000-000000000001',
      room_title: 'Line 3 溫度異常',
      text: '升級通報：無人接手',
      created_at: new Date().toISOString(),
      read_at: null,
    },
  };
}

const banner = () => screen.queryByRole('region', { name: '推播通知' });

async function signedInWithSocket() {
  const rendered = renderApp('/rooms', { authenticated: true });
  await screen.findByRole('heading', { level: 1, name: '事件列表' });
  const socket = await openAppSocket();
  return { ...rendered, socket };
}

describe('the push banner', () => {
  it('never shows on load, nor for other kinds; appears after the first escalation', async () => {
    browser = installFakePush();
    const { socket } = await signedInWithSocket();
    expect(banner()).toBeNull();
    serverSends(socket, notification('mention'));
    expect(banner()).toBeNull();
    expect(requestsTo('GET', '/api/me/push-subscriptions')).toHaveLength(0);

    serverSends(socket, notification('escalation'));
    const region = await screen.findByRole('region', { name: '推播通知' });
    expect(region).toHaveTextContent('升級通報也可以推播到這台裝置');
    expect(browser.requestPermission).not.toHaveBeenCalled();
  });

  it('turns push on from its button: the prompt, then the subscription', async () => {
    browser = installFakePush();
    const { socket, user } = await signedInWithSocket();
    serverSends(socket, notification('escalation'));
    const region = await screen.findByRole('region', { name: '推播通知' });
    await user.click(within(region).getByRole('button', { name: '開啟推播通知' }));

    expect(await within(region).findByText(/已開啟推播通知，升級通報會送到這台裝置/)).toBeInTheDocument();
    expect(browser.requestPermission).toHaveBeenCalledTimes(1);
    expect(requestsTo('POST', '/api/me/push-subscriptions')).toHaveLength(1);
    expect(pushApi.settings?.web_push).toBe(true);
    await user.click(within(region).getByRole('button', { name: '關閉' }));
    expect(banner()).toBeNull();
  });

  it('"not now" is remembered: later escalations do not ask again', async () => {
    browser = installFakePush();
    const { socket, user } = await signedInWithSocket();
    serverSends(socket, notification('escalation'));
    const region = await screen.findByRole('region', { name: '推播通知' });
    await user.click(within(region).getByRole('button', { name: '不用了' }));
    expect(banner()).toBeNull();
    expect(window.localStorage.getItem(PUSH_PROMPT_DISMISSED_KEY)).toBe('1');

    serverSends(socket, notification('escalation'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(banner()).toBeNull();
    expect(browser.requestPermission).not.toHaveBeenCalled();
  });

  it.each([
    ['the permission was already granted', { permission: 'granted' as const }],
    ['notifications are blocked', { permission: 'denied' as const }],
  ])('does not show when %s', async (_, options) => {
    browser = installFakePush(options);
    const { socket } = await signedInWithSocket();
    serverSends(socket, notification('escalation'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(banner()).toBeNull();
  });

  it('does not show when the server has no push key', async () => {
    pushApi.publicKey = '';
    browser = installFakePush();
    const { socket } = await signedInWithSocket();
    serverSends(socket, notification('escalation'));
    await waitFor(() => expect(requestsTo('GET', '/api/me/push-subscriptions')).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(banner()).toBeNull();
  });

  it('on an iPhone browser tab, explains adding the app to the home screen', async () => {
    vi.spyOn(navigator, 'userAgent', 'get').mockReturnValue(
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    );
    const { socket, user } = await signedInWithSocket();
    serverSends(socket, notification('escalation'));
    const region = await screen.findByRole('region', { name: '推播通知' });
    expect(region).toHaveTextContent('加入主畫面');
    expect(within(region).queryByRole('button', { name: '開啟推播通知' })).not.toBeInTheDocument();
    await user.click(within(region).getByRole('button', { name: '關閉' }));
    expect(banner()).toBeNull();
  });
});
