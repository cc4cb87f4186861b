import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderApp } from '@/testing/test-utils';
import {
  BROWSER_KEYS,
  installFakePush,
  pushApi,
  requestsTo,
  usePushApi,
  type FakeBrowser,
} from '@/features/notifications/__tests__/push-fakes';

const SETTINGS = '/api/me/notification-settings';
const SUBSCRIPTIONS = '/api/me/push-subscriptions';

let browser: FakeBrowser | null = null;

beforeEach(() => usePushApi());

afterEach(() => {
  browser?.uninstall();
  browser = null;
});

async function openSettings() {
  const rendered = renderApp('/settings/notifications', { authenticated: true });
  expect(await screen.findByRole('heading', { level: 1, name: '通知設定' })).toBeInTheDocument();
  return rendered;
}

const thisDevice = () => screen.getByRole('region', { name: '這台裝置的推播' });

describe('notification settings page', () => {
  it('is reached from the inbox and shows the stored settings', async () => {
    const { user, router } = renderApp('/notifications', { authenticated: true });
    await user.click(await screen.findByRole('link', { name: '通知設定（Email、推播）' }));
    expect(await screen.findByRole('heading', { level: 1, name: '通知設定' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/settings/notifications');

    expect(await screen.findByRole('checkbox', { name: 'Email' })).toBeChecked();
    expect(screen.getByRole('checkbox', { name: '推播通知' })).not.toBeChecked();
    expect(screen.getByRole('checkbox', { name: '有人在訊息中提到我' })).toBeChecked();
    expect(screen.getByRole('checkbox', { name: '我負責的事件有人接手' })).not.toBeChecked();
  });

  it('shows escalations checked and disabled, with the reason', async () => {
    await openSettings();
    const escalation = await screen.findByRole('checkbox', { name: '升級通報' });
    expect(escalation).toBeChecked();
    expect(escalation).toBeDisabled();
    expect(escalation).toHaveAccessibleDescription(/一律會通知您，無法關閉/);
  });

  it('saves a toggle at once with the whole shape (escalation always true)', async () => {
    const { user } = await openSettings();
    await user.click(await screen.findByRole('checkbox', { name: '我負責的事件有人接手' }));
    await waitFor(() => expect(requestsTo('PUT', SETTINGS)).toHaveLength(1));
    expect(requestsTo('PUT', SETTINGS)[0]!.body).toEqual({
      email: true,
      web_push: false,
      kinds: { mention: true, escalation: true, added_to_room: true, room_acknowledged: true, room_resolved: true },
    });
    expect(await screen.findByText('已儲存。')).toBeInTheDocument();
    expect(screen.getByRole('checkbox', { name: '我負責的事件有人接手' })).toBeChecked();

    await user.click(screen.getByRole('checkbox', { name: 'Email' }));
    await waitFor(() => expect(requestsTo('PUT', SETTINGS)).toHaveLength(2));
    expect(requestsTo('PUT', SETTINGS)[1]!.body).toMatchObject({ email: false, kinds: { room_acknowledged: true } });
    expect(pushApi.settings).toMatchObject({ email: false, kinds: { room_acknowledged: true, escalation: true } });
  });

  it('puts the previous value back and says so when the save fails', async () => {
    pushApi.failPut = true;
    const { user } = await openSettings();
    const email = await screen.findByRole('checkbox', { name: 'Email' });
    await user.click(email);
    expect(await screen.findByRole('alert')).toHaveTextContent('服務暫時無法使用');
    await waitFor(() => expect(screen.getByRole('checkbox', { name: 'Email' })).toBeChecked());
  });

  it('sends an anonymous visitor to the login page', async () => {
    const { router } = renderApp('/settings/notifications');
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(requestsTo('GET', SETTINGS)).toHaveLength(0);
  });
});

describe('push on this device', () => {
  it('hides the push option with a note when the server has no key', async () => {
    pushApi.publicKey = '';
    browser = installFakePush();
    await openSettings();
    expect(await within(thisDevice()).findByText(/伺服器尚未設定推播通知/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '在這台裝置開啟推播' })).not.toBeInTheDocument();
  });

  it('explains that this browser cannot do push', async () => {
    await openSettings(); // jsdom: no service worker, no PushManager
    expect(await within(thisDevice()).findByText(/這個瀏覽器不支援推播通知/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '在這台裝置開啟推播' })).not.toBeInTheDocument();
  });

  it('explains how to re-allow notifications once they are blocked', async () => {
    browser = installFakePush({ permission: 'denied' });
    await openSettings();
    expect(await within(thisDevice()).findByText(/您已封鎖本網站的通知/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '在這台裝置開啟推播' })).not.toBeInTheDocument();
  });

  it('asks for permission only on the click, then subscribes, registers it and turns the push channel on', async () => {
    browser = installFakePush();
    const { user } = await openSettings();
    const enable = await within(thisDevice()).findByRole('button', { name: '在這台裝置開啟推播' });
    expect(browser.requestPermission).not.toHaveBeenCalled();

    await user.click(enable);
    expect(await within(thisDevice()).findByText('這台裝置已開啟推播通知。')).toBeInTheDocument();
    expect(browser.requestPermission).toHaveBeenCalledTimes(1);
    const posted = requestsTo('POST', SUBSCRIPTIONS);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.body).toMatchObject({
      endpoint: 'https://fcm.googleapis.com/fcm/send/device-1',
      keys: BROWSER_KEYS,
    });
    expect(requestsTo('PUT', SETTINGS).at(-1)!.body).toMatchObject({ web_push: true });
    expect(screen.getByRole('checkbox', { name: '推播通知' })).toBeChecked();
    // the list of devices shows the new one
    const list = await screen.findByRole('list', { name: '已開啟推播的裝置' });
    expect(within(list).getByText(/fcm\.googleapis\.com/)).toBeInTheDocument();
  });

  it('says what to do when the permission prompt is refused, and registers nothing', async () => {
    browser = installFakePush({ answer: 'denied' });
    const { user } = await openSettings();
    await user.click(await within(thisDevice()).findByRole('button', { name: '在這台裝置開啟推播' }));
    expect(await within(thisDevice()).findByRole('alert')).toHaveTextContent('您已封鎖本網站的通知');
    expect(requestsTo('POST', SUBSCRIPTIONS)).toHaveLength(0);
    expect(browser.pushManager.subscribeCalls).toHaveLength(0);
  });

  it('lets the user try again after dismissing the prompt', async () => {
    browser = installFakePush({ answer: 'default' });
    const { user } = await openSettings();
    await user.click(await within(thisDevice()).findByRole('button', { name: '在這台裝置開啟推播' }));
    expect(await within(thisDevice()).findByRole('alert')).toHaveTextContent('您尚未允許通知');
    browser.answer = 'granted';
    await user.click(within(thisDevice()).getByRole('button', { name: '在這台裝置開啟推播' }));
    expect(await within(thisDevice()).findByText('這台裝置已開啟推播通知。')).toBeInTheDocument();
    expect(browser.requestPermission).toHaveBeenCalledTimes(2);
  });

  it('on, off and on again leaves one subscription on the server', async () => {
    browser = installFakePush({ permission: 'granted' });
    const { user } = await openSettings();
    await user.click(await within(thisDevice()).findByRole('button', { name: '在這台裝置開啟推播' }));
    await user.click(await within(thisDevice()).findByRole('button', { name: '關閉這台裝置的推播' }));
    await within(thisDevice()).findByRole('button', { name: '在這台裝置開啟推播' });
    await user.click(within(thisDevice()).getByRole('button', { name: '在這台裝置開啟推播' }));
    await within(thisDevice()).findByText('這台裝置已開啟推播通知。');
    expect(pushApi.subscriptions).toHaveLength(1);
  });

  it('turning it off ends the browser subscription and deletes it on the server', async () => {
    browser = installFakePush({ permission: 'granted' });
    const { user } = await openSettings();
    await user.click(await within(thisDevice()).findByRole('button', { name: '在這台裝置開啟推播' }));
    const endpoint = (await browser.pushManager.getSubscription())!.endpoint;
    await user.click(await within(thisDevice()).findByRole('button', { name: '關閉這台裝置的推播' }));

    expect(await within(thisDevice()).findByText('這台裝置尚未開啟推播通知。')).toBeInTheDocument();
    expect(await browser.pushManager.getSubscription()).toBeNull();
    await waitFor(() => expect(requestsTo('DELETE', SUBSCRIPTIONS)).toHaveLength(1));
    expect(requestsTo('DELETE', SUBSCRIPTIONS)[0]!.body).toEqual({ endpoint });
    await waitFor(() => expect(screen.getByText('還沒有任何裝置開啟推播。')).toBeInTheDocument());
  });
});
