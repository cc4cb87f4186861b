import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { formatDateTime } from '@/lib/format';
import { useWebhookDeliveries, type WebhookDelivery } from '@/features/admin/api/get-webhook-deliveries';
import type { Webhook } from '@/features/admin/api/get-webhooks';
import '@/features/admin/components/webhooks.css';

function eventLabel(event: string | null, t: (key: string) => string): string {
  return event ? t(`admin.webhooks.event.${event}`) : '—';
}

function DeliveryRow({ delivery }: { delivery: WebhookDelivery }) {
  const { t, i18n } = useTranslation();
  return (
    <tr>
      <td>{eventLabel(delivery.event, t)}</td>
      <td>
        <span className={`delivery-status delivery-${delivery.status}`}>{t(`admin.webhooks.status.${delivery.status}`)}</span>
      </td>
      <td className="numeric">{delivery.attempts}</td>
      <td>{delivery.last_error ?? delivery.result ?? '—'}</td>
      <td>
        <time dateTime={delivery.updated_at}>{formatDateTime(delivery.updated_at, i18n.language)}</time>
      </td>
    </tr>
  );
}

/** A webhook's delivery log: event, status, attempts, last error (newest first). */
export function WebhookDeliveries({ webhook }: { webhook: Webhook }) {
  const { t } = useTranslation();
  const deliveries = useWebhookDeliveries(webhook.webhook_id);
  const caption = t('admin.webhooks.deliveriesOf', { url: webhook.url });
  if (deliveries.isPending) return <Loading />;
  if (deliveries.isError) return <ErrorAlert error={deliveries.error} onRetry={() => void deliveries.refetch()} />;
  return (
    <div className="webhook-deliveries">
      {deliveries.data.length === 0 ? (
        <p className="empty-state">{t('admin.webhooks.noDeliveries')}</p>
      ) : (
        <div className="table-scroll">
          <table className="deliveries-table">
            <caption className="visually-hidden">{caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.webhooks.columns.event')}</th>
                <th scope="col">{t('admin.webhooks.columns.status')}</th>
                <th scope="col">{t('admin.webhooks.columns.attempts')}</th>
                <th scope="col">{t('admin.webhooks.columns.lastError')}</th>
                <th scope="col">{t('admin.webhooks.columns.updated')}</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.data.map((delivery) => (
                <DeliveryRow key={delivery.delivery_id} delivery={delivery} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="form-actions">
        <button
          type="button"
          className="button button-secondary"
          onClick={() => void deliveries.refetch()}
          disabled={deliveries.isFetching}
        >
          {t('admin.webhooks.refresh')}
        </button>
      </div>
    </div>
  );
}
