import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '@/components/dialog';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { formatDateTime } from '@/lib/format';
import type { CreatedWebhook } from '@/features/admin/api/create-webhook';
import { useDeleteWebhook } from '@/features/admin/api/delete-webhook';
import { useWebhooks, type Webhook } from '@/features/admin/api/get-webhooks';
import { NewWebhookSecret } from '@/features/admin/components/new-webhook-secret';
import { WebhookDeliveries } from '@/features/admin/components/webhook-deliveries';
import { WebhookForm } from '@/features/admin/components/webhook-form';

type CardProps = { webhook: Webhook; open: boolean; onToggle: () => void; onDelete: () => void };

function WebhookCard({ webhook, open, onToggle, onDelete }: CardProps) {
  const { t, i18n } = useTranslation();
  const name = webhook.description || webhook.url;
  return (
    <li className="settings-card policy-card">
      <h3>{name}</h3>
      <dl>
        <dt>{t('admin.webhooks.url')}</dt>
        <dd>
          <code className="webhook-url">{webhook.url}</code>
        </dd>
        <dt>{t('admin.webhooks.events')}</dt>
        <dd>{webhook.events.map((event) => t(`admin.webhooks.event.${event}`)).join(t('common.listSeparator'))}</dd>
      </dl>
      <p className="field-hint">
        {t('admin.webhooks.createdBy', { at: formatDateTime(webhook.created_at, i18n.language), by: webhook.created_by })}
      </p>
      <div className="form-actions">
        <button type="button" className="button button-secondary" aria-expanded={open} onClick={onToggle}>
          {t(open ? 'admin.webhooks.hideDeliveries' : 'admin.webhooks.showDeliveries', { name })}
        </button>
        <button type="button" className="button button-danger" onClick={onDelete}>
          {t('admin.deleteNamed', { name })}
        </button>
      </div>
      {open ? <WebhookDeliveries webhook={webhook} /> : null}
    </li>
  );
}

type Panel = { kind: 'new' } | { kind: 'created'; webhook: CreatedWebhook } | null;

/** /admin/webhooks: other systems (MES, Teams, LINE) told about room events, signed (administrators). */
export function WebhooksPage() {
  const { t } = useTranslation();
  const webhooks = useWebhooks();
  const remove = useDeleteWebhook();
  const [panel, setPanel] = useState<Panel>(null);
  const [openLog, setOpenLog] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Webhook | null>(null);
  const [notice, setNotice] = useState('');

  return (
    <section className="admin-section" aria-labelledby="webhooks-heading">
      <div className="page-heading">
        <h2 id="webhooks-heading">{t('admin.webhooks.heading')}</h2>
        {panel ? null : (
          <button
            type="button"
            className="button button-primary"
            onClick={() => {
              setNotice('');
              setPanel({ kind: 'new' });
            }}
          >
            <span aria-hidden="true">＋</span>
            {t('admin.webhooks.new')}
          </button>
        )}
      </div>
      <p className="field-hint">{t('admin.webhooks.intro')}</p>
      {panel?.kind === 'new' ? (
        <WebhookForm onCancel={() => setPanel(null)} onCreated={(webhook) => setPanel({ kind: 'created', webhook })} />
      ) : null}
      {panel?.kind === 'created' ? <NewWebhookSecret created={panel.webhook} onDone={() => setPanel(null)} /> : null}
      <p className="form-status" role="status">
        {notice}
      </p>
      {remove.isError ? <ErrorAlert error={remove.error} /> : null}
      {webhooks.isPending ? (
        <Loading />
      ) : webhooks.isError ? (
        <ErrorAlert error={webhooks.error} onRetry={() => void webhooks.refetch()} />
      ) : webhooks.data.length === 0 ? (
        <p className="empty-state">{t('admin.webhooks.empty')}</p>
      ) : (
        <ul className="policy-list" aria-label={t('admin.webhooks.listLabel')}>
          {webhooks.data.map((webhook) => (
            <WebhookCard
              key={webhook.webhook_id}
              webhook={webhook}
              open={openLog === webhook.webhook_id}
              onToggle={() => setOpenLog((current) => (current === webhook.webhook_id ? null : webhook.webhook_id))}
              onDelete={() => setDeleting(webhook)}
            />
          ))}
        </ul>
      )}
      {deleting ? (
        <ConfirmDialog
          title={t('admin.webhooks.deleteTitle')}
          message={t('admin.webhooks.deleteConfirm', { url: deleting.url })}
          confirmLabel={t('admin.delete')}
          danger
          pending={remove.isPending}
          onCancel={() => setDeleting(null)}
          onConfirm={() =>
            remove.mutate(deleting.webhook_id, {
              onSuccess: () => setNotice(t('admin.deleted', { name: deleting.description || deleting.url })),
              onSettled: () => setDeleting(null),
            })
          }
        />
      ) : null}
    </section>
  );
}
