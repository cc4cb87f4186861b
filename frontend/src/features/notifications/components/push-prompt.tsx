import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useRealtimeFrames } from '@/lib/socket/hooks';
import { usePushSubscriptions } from '@/features/notifications/api/get-push-subscriptions';
import { PushProblemAlert } from '@/features/notifications/components/push-device';
import { NOTIFICATION_SETTINGS_PATH } from '@/features/notifications/components/notification-settings-link';
import { usePushDevice } from '@/features/notifications/hooks/use-push-device';
import { notificationPermission, pushSupport } from '@/features/notifications/utils/web-push';
import '@/features/notifications/components/notifications.css';

export const PUSH_PROMPT_DISMISSED_KEY = 'irs.push-prompt-dismissed';

type Offer = 'push' | 'ios-install';

function dismissed(): boolean {
  try {
    return window.localStorage.getItem(PUSH_PROMPT_DISMISSED_KEY) === '1';
  } catch {
    return false;
  }
}

function rememberDismissed(): void {
  try {
    window.localStorage.setItem(PUSH_PROMPT_DISMISSED_KEY, '1');
  } catch {
    // asked again next time
  }
}

/** What to offer this browser, if anything: never after "not now", nor once the user has answered the prompt. */
export function pushOffer(): Offer | null {
  if (dismissed()) return null;
  const support = pushSupport();
  if (support === 'supported') return notificationPermission() === 'default' ? 'push' : null;
  return support === 'ios-install' ? 'ios-install' : null;
}

function PushPromptBanner({ offer, onClose }: { offer: Offer; onClose: () => void }) {
  const { t } = useTranslation();
  const keys = usePushSubscriptions();
  const device = usePushDevice();
  const [enabled, setEnabled] = useState(false);
  // nothing to offer while the server's key is unknown or missing (push not configured)
  if (!keys.data?.public_key) return null;

  const close = () => {
    rememberDismissed();
    onClose();
  };

  return (
    <section className="push-prompt alert alert-info" aria-label={t('notificationSettings.prompt.label')}>
      {enabled ? (
        <p role="status">{t('notificationSettings.prompt.enabled')}</p>
      ) : (
        <p>{offer === 'push' ? t('notificationSettings.prompt.text') : t('notificationSettings.device.iosInstall')}</p>
      )}
      {device.error ? <PushProblemAlert error={device.error} /> : null}
      <div className="push-prompt-actions">
        {offer === 'push' && !enabled ? (
          <button
            type="button"
            className="button button-primary"
            disabled={device.busy}
            onClick={() => {
              void device.enable().then((ok) => {
                if (ok) {
                  rememberDismissed();
                  setEnabled(true);
                }
              });
            }}
          >
            {device.busy ? t('notificationSettings.device.enabling') : t('notificationSettings.prompt.enable')}
          </button>
        ) : null}
        <button type="button" className="button button-secondary" onClick={close}>
          {enabled || offer === 'ios-install' ? t('common.close') : t('notificationSettings.prompt.later')}
        </button>
        <Link to={NOTIFICATION_SETTINGS_PATH} onClick={onClose}>
          {t('notificationSettings.link')}
        </Link>
      </div>
    </section>
  );
}

/**
 * The gentle way to Web Push: nothing on load; after the first escalation this tab receives
 * (the moment alerts matter), a banner offers push on this device — the browser's permission
 * prompt comes only from its button. "Not now" is remembered in this browser.
 */
export function PushPrompt() {
  const [offer, setOffer] = useState<Offer | null>(null);
  useRealtimeFrames('notification', (frame) => {
    if (offer || frame.notification?.kind !== 'escalation') return;
    setOffer(pushOffer());
  });
  if (!offer) return null;
  return <PushPromptBanner offer={offer} onClose={() => setOffer(null)} />;
}
