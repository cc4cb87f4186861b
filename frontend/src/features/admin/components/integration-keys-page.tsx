import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '@/components/dialog';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { formatDateTime } from '@/lib/format';
import { findLine, usePlant, type Plant } from '@/lib/plant';
import type { CreatedIntegrationKey } from '@/features/admin/api/create-integration-key';
import { useIntegrationKeys, type IntegrationKey } from '@/features/admin/api/get-integration-keys';
import { useRevokeIntegrationKey } from '@/features/admin/api/revoke-integration-key';
import { IntegrationKeyForm } from '@/features/admin/components/integration-key-form';
import { NewIntegrationKey } from '@/features/admin/components/new-integration-key';

function KeyCard({ item, plant, onRevoke }: { item: IntegrationKey; plant: Plant | undefined; onRevoke: () => void }) {
  const { t, i18n } = useTranslation();
  const line = item.line_id ? (findLine(plant, item.line_id)?.line.name ?? item.line_id) : t('admin.integrationKeys.lineAny');
  return (
    <li className="settings-card policy-card">
      <h3>{item.name}</h3>
      <dl>
        <dt>{t('admin.integrationKeys.line')}</dt>
        <dd>{line}</dd>
        <dt>{t('admin.integrationKeys.hint')}</dt>
        <dd>
          <code>{item.key_hint}…</code>
        </dd>
        <dt>{t('admin.integrationKeys.status')}</dt>
        <dd>
          {item.revoked_at
            ? t('admin.integrationKeys.revokedAt', { at: formatDateTime(item.revoked_at, i18n.language) })
            : t('admin.integrationKeys.active')}
        </dd>
      </dl>
      <p className="field-hint">
        {t('admin.integrationKeys.createdBy', { at: formatDateTime(item.created_at, i18n.language), by: item.created_by })}
        {' · '}
        {item.last_used_at
          ? t('admin.integrationKeys.lastUsed', { at: formatDateTime(item.last_used_at, i18n.language) })
          : t('admin.integrationKeys.neverUsed')}
      </p>
      {item.revoked_at ? null : (
        <div className="form-actions">
          <button type="button" className="button button-danger" onClick={onRevoke}>
            {t('admin.integrationKeys.revoke', { name: item.name })}
          </button>
        </div>
      )}
    </li>
  );
}

type Panel = { kind: 'new' } | { kind: 'created'; key: CreatedIntegrationKey } | null;

/** /admin/integration-keys: keys for machines and other systems to raise incidents (administrators). */
export function IntegrationKeysPage() {
  const { t } = useTranslation();
  const keys = useIntegrationKeys();
  const plant = usePlant();
  const revoke = useRevokeIntegrationKey();
  const [panel, setPanel] = useState<Panel>(null);
  const [revoking, setRevoking] = useState<IntegrationKey | null>(null);
  const [notice, setNotice] = useState('');

  return (
    <section className="admin-section" aria-labelledby="integration-keys-heading">
      <div className="page-heading">
        <h2 id="integration-keys-heading">{t('admin.integrationKeys.heading')}</h2>
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
            {t('admin.integrationKeys.new')}
          </button>
        )}
      </div>
      <p className="field-hint">{t('admin.integrationKeys.intro')}</p>
      {panel?.kind === 'new' ? (
        <IntegrationKeyForm onCancel={() => setPanel(null)} onCreated={(key) => setPanel({ kind: 'created', key })} />
      ) : null}
      {panel?.kind === 'created' ? <NewIntegrationKey created={panel.key} onDone={() => setPanel(null)} /> : null}
      <p className="form-status" role="status">
        {notice}
      </p>
      {revoke.isError ? <ErrorAlert error={revoke.error} /> : null}
      {keys.isPending ? (
        <Loading />
      ) : keys.isError ? (
        <ErrorAlert error={keys.error} onRetry={() => void keys.refetch()} />
      ) : keys.data.length === 0 ? (
        <p className="empty-state">{t('admin.integrationKeys.empty')}</p>
      ) : (
        <ul className="policy-list" aria-label={t('admin.integrationKeys.listLabel')}>
          {keys.data.map((item) => (
            <KeyCard key={item.key_id} item={item} plant={plant.data} onRevoke={() => setRevoking(item)} />
          ))}
        </ul>
      )}
      {revoking ? (
        <ConfirmDialog
          title={t('admin.integrationKeys.revokeTitle')}
          message={t('admin.integrationKeys.revokeConfirm', { name: revoking.name })}
          confirmLabel={t('admin.integrationKeys.revokeAction')}
          danger
          pending={revoke.isPending}
          onCancel={() => setRevoking(null)}
          onConfirm={() =>
            revoke.mutate(revoking.key_id, {
              onSuccess: () => setNotice(t('admin.integrationKeys.revoked', { name: revoking.name })),
              onSettled: () => setRevoking(null),
            })
          }
        />
      ) : null}
    </section>
  );
}
