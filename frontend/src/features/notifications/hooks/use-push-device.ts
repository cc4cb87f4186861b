import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { createPushSubscription } from '@/features/notifications/api/create-push-subscription';
import { deletePushSubscription } from '@/features/notifications/api/delete-push-subscription';
import { notificationSettingsQuery, notificationSettingsQueryKey } from '@/features/notifications/api/get-notification-settings';
import { pushSubscriptionsQuery, pushSubscriptionsQueryKey } from '@/features/notifications/api/get-push-subscriptions';
import { updateNotificationSettings } from '@/features/notifications/api/update-notification-settings';
import {
  askNotificationPermission,
  currentPushSubscription,
  notificationPermission,
  PushProblem,
  pushSupport,
  subscribeThisBrowser,
  subscriptionBody,
  unsubscribeThisBrowser,
} from '@/features/notifications/utils/web-push';

/**
 * Web Push on this device:
 * `checking` → `unsupported` | `ios-install` (add to the home screen first) | `denied` (blocked in
 * the browser's site settings) | `off` | `on` (this browser has a push subscription).
 */
export type PushDeviceStatus = 'checking' | 'unsupported' | 'ios-install' | 'denied' | 'off' | 'on';

async function detectStatus(): Promise<Exclude<PushDeviceStatus, 'checking'>> {
  const support = pushSupport();
  if (support !== 'supported') return support;
  const permission = notificationPermission();
  if (permission === 'denied') return 'denied';
  const subscription = await currentPushSubscription().catch(() => null);
  return subscription && permission === 'granted' ? 'on' : 'off';
}

/**
 * The state of Web Push on this device and the two actions:
 * - `enable()` — call it from the user's click: the permission prompt first (while the click
 *   still counts), then the server's key, the browser's subscription, `POST
 *   /api/me/push-subscriptions`, and the user's `web_push` channel turned on if it was off;
 * - `disable()` — ends this browser's subscription and tells the server (`DELETE`).
 * Both resolve to whether they worked; `error` says why not (a `PushProblem` or an `ApiError`).
 */
export function usePushDevice() {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<PushDeviceStatus>('checking');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const refresh = useCallback(async () => {
    setStatus(await detectStatus());
  }, []);

  useEffect(() => {
    let live = true;
    void detectStatus().then((next) => {
      if (live) setStatus(next);
    });
    return () => {
      live = false;
    };
  }, []);

  const enable = useCallback(async (): Promise<boolean> => {
    if (pushSupport() !== 'supported') {
      setError(new PushProblem('unsupported'));
      return false;
    }
    const permission = askNotificationPermission(); // first: the prompt needs the click
    setError(null);
    setBusy(true);
    try {
      const answer = await permission;
      if (answer !== 'granted') throw new PushProblem(answer === 'denied' ? 'denied' : 'dismissed');
      const { public_key: publicKey } = await queryClient.fetchQuery(pushSubscriptionsQuery);
      if (!publicKey) throw new PushProblem('not-configured');
      const subscription = await subscribeThisBrowser(publicKey);
      await createPushSubscription(subscriptionBody(subscription));
      const settings = await queryClient.fetchQuery(notificationSettingsQuery);
      if (!settings.web_push) {
        queryClient.setQueryData(notificationSettingsQueryKey, await updateNotificationSettings({ ...settings, web_push: true }));
      }
      setStatus('on');
      return true;
    } catch (problem) {
      setError(problem);
      await refresh().catch(() => undefined);
      return false;
    } finally {
      setBusy(false);
      void queryClient.invalidateQueries({ queryKey: pushSubscriptionsQueryKey });
    }
  }, [queryClient, refresh]);

  const disable = useCallback(async (): Promise<boolean> => {
    setError(null);
    setBusy(true);
    try {
      // the browser first: should the server not hear of it, its next push gets a 410 and is dropped
      const endpoint = await unsubscribeThisBrowser();
      setStatus('off');
      if (endpoint) await deletePushSubscription(endpoint);
      return true;
    } catch (problem) {
      setError(problem);
      await refresh().catch(() => undefined);
      return false;
    } finally {
      setBusy(false);
      void queryClient.invalidateQueries({ queryKey: pushSubscriptionsQueryKey });
    }
  }, [queryClient, refresh]);

  return { status, busy, error, enable, disable };
}
