import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { useNotificationSettings } from '@/features/notifications/api/get-notification-settings';
import { useUpdateNotificationSettings } from '@/features/notifications/api/update-notification-settings';
import { PushDevices } from '@/features/notifications/components/push-device';
import { NOTIFICATION_KINDS, type NotificationSettings } from '@/features/notifications/settings-types';
import '@/features/notifications/components/notifications.css';

/**
 * /settings/notifications: e-mail and push on or off, which kinds of notification use them
 * (escalations always do), and Web Push on this device. Every change saves at once.
 */
export function NotificationSettingsPage() {
  const { t } = useTranslation();
  const query = useNotificationSettings();
  const update = useUpdateNotificationSettings();

  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  const settings = query.data;
  const save = (next: NotificationSettings) => update.mutate(next);

  return (
    <div className="page notification-settings">
      <h1>{t('notificationSettings.heading')}</h1>
      <p className="field-hint">{t('notificationSettings.intro')}</p>
      {update.isError ? <ErrorAlert error={update.error} /> : null}

      <section className="settings-card" aria-labelledby="channels-heading">
        <h2 id="channels-heading">{t('notificationSettings.channels')}</h2>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={settings.email}
            aria-describedby="email-hint"
            onChange={(event) => save({ ...settings, email: event.target.checked })}
          />
          {t('notificationSettings.email')}
        </label>
        <p className="field-hint" id="email-hint">
          {t('notificationSettings.emailHint')}
        </p>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={settings.web_push}
            aria-describedby="web-push-hint"
            onChange={(event) => save({ ...settings, web_push: event.target.checked })}
          />
          {t('notificationSettings.webPush')}
        </label>
        <p className="field-hint" id="web-push-hint">
          {t('notificationSettings.webPushHint')}
        </p>
      </section>

      <PushDevices channelOn={settings.web_push} />

      <section className="settings-card" aria-labelledby="kinds-heading">
        <h2 id="kinds-heading">{t('notificationSettings.kinds')}</h2>
        {NOTIFICATION_KINDS.map((kind) =>
          kind === 'escalation' ? (
            <div key={kind}>
              <label className="checkbox">
                <input type="checkbox" checked disabled aria-describedby="escalation-always-on" />
                {t('notificationSettings.kind.escalation')}
              </label>
              <p className="field-hint" id="escalation-always-on">
                {t('notificationSettings.escalationAlwaysOn')}
              </p>
            </div>
          ) : (
            <label className="checkbox" key={kind}>
              <input
                type="checkbox"
                checked={settings.kinds[kind] ?? true}
                onChange={(event) => save({ ...settings, kinds: { ...settings.kinds, [kind]: event.target.checked } })}
              />
              {t(`notificationSettings.kind.${kind}`)}
            </label>
          ),
        )}
      </section>
      <p className="form-status" role="status">
        {update.isSuccess ? t('notificationSettings.saved') : update.isPending ? t('common.saving') : null}
      </p>
    </div>
  );
}
