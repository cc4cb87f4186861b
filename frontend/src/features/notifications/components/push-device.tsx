import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { formatDateTime } from '@/lib/format';
import { usePushSubscriptions } from '@/features/notifications/api/get-push-subscriptions';
import { usePushDevice, type PushDeviceStatus } from '@/features/notifications/hooks/use-push-device';
import { describeBrowser } from '@/features/notifications/utils/describe-browser';
import { PushProblem, type PushProblemCode } from '@/features/notifications/utils/web-push';

const PROBLEM_KEYS: Record<PushProblemCode, string> = {
  unsupported: 'notificationSettings.device.unsupported',
  denied: 'notificationSettings.device.denied',
  dismissed: 'notificationSettings.device.dismissed',
  'not-configured': 'notificationSettings.device.notConfigured',
  'bad-key': 'notificationSettings.device.badKey',
  'no-service-worker': 'notificationSettings.device.noServiceWorker',
  'subscribe-failed': 'notificationSettings.device.subscribeFailed',
};

const STATUS_KEYS: Partial<Record<PushDeviceStatus, string>> = {
  unsupported: 'notificationSettings.device.unsupported',
  'ios-install': 'notificationSettings.device.iosInstall',
  denied: 'notificationSettings.device.denied',
};

/** Why turning push on or off failed, in words (an API error is left to ErrorAlert). */
export function PushProblemAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (error instanceof PushProblem) {
    return (
      <div className="alert alert-error" role="alert">
        <p>{pushProblemText(error, t)}</p>
      </div>
    );
  }
  return <ErrorAlert error={error} />;
}

export function pushProblemText(problem: PushProblem, t: TFunction): string {
  return t(PROBLEM_KEYS[problem.code]);
}

/** The status of push on this device with its enable / disable button. */
function ThisDevice({ channelOn }: { channelOn: boolean }) {
  const { t } = useTranslation();
  const device = usePushDevice();
  const [notice, setNotice] = useState<string | null>(null);
  const explanation = STATUS_KEYS[device.status];

  if (device.status === 'checking') return <Loading label={t('notificationSettings.device.checking')} />;
  return (
    <div className="push-device">
      {explanation ? (
        <p className="alert alert-info">{t(explanation)}</p>
      ) : (
        <p>{device.status === 'on' ? t('notificationSettings.device.on') : t('notificationSettings.device.off')}</p>
      )}
      {device.status === 'on' && !channelOn ? <p className="field-hint">{t('notificationSettings.device.channelOff')}</p> : null}
      {device.status === 'off' ? (
        <button
          type="button"
          className="button button-primary"
          disabled={device.busy}
          onClick={() => {
            setNotice(null);
            void device.enable().then((ok) => setNotice(ok ? t('notificationSettings.device.enabled') : null));
          }}
        >
          {device.busy ? t('notificationSettings.device.enabling') : t('notificationSettings.device.enable')}
        </button>
      ) : null}
      {device.status === 'on' ? (
        <button
          type="button"
          className="button button-secondary"
          disabled={device.busy}
          onClick={() => {
            setNotice(null);
            void device.disable().then((ok) => setNotice(ok ? t('notificationSettings.device.disabled') : null));
          }}
        >
          {device.busy ? t('notificationSettings.device.disabling') : t('notificationSettings.device.disable')}
        </button>
      ) : null}
      {device.error ? <PushProblemAlert error={device.error} /> : null}
      <p className="form-status" role="status">
        {notice}
      </p>
    </div>
  );
}

/**
 * Web Push: this device (turn it on or off) and every browser the user has it on in. Hidden
 * behind a note when the server has no VAPID key.
 */
export function PushDevices({ channelOn }: { channelOn: boolean }) {
  const { t, i18n } = useTranslation();
  const query = usePushSubscriptions();

  return (
    <section className="settings-card" aria-labelledby="push-devices-heading">
      <h2 id="push-devices-heading">{t('notificationSettings.device.heading')}</h2>
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : !query.data.public_key ? (
        <p className="alert alert-info">{t('notificationSettings.device.notConfigured')}</p>
      ) : (
        <>
          <ThisDevice channelOn={channelOn} />
          <h3>{t('notificationSettings.devices.heading', { count: query.data.subscriptions.length })}</h3>
          {query.data.subscriptions.length === 0 ? (
            <p className="field-hint">{t('notificationSettings.devices.empty')}</p>
          ) : (
            <ul className="push-device-list" aria-label={t('notificationSettings.devices.listLabel')}>
              {query.data.subscriptions.map((device) => (
                <li key={device.subscription_id}>
                  <span className="push-device-name">
                    {describeBrowser(device.user_agent) ?? t('notificationSettings.devices.unknownBrowser')}
                  </span>
                  <span className="push-device-meta">
                    {device.endpoint_host}
                    {' · '}
                    {t('notificationSettings.devices.since', { date: formatDateTime(device.created_at, i18n.language) })}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
