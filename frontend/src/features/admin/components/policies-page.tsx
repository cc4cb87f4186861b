import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '@/components/dialog';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { useDeleteEscalationPolicy } from '@/features/admin/api/delete-escalation-policy';
import { useEscalationPolicies } from '@/features/admin/api/get-escalation-policies';
import { PolicyForm } from '@/features/admin/components/policy-form';
import type { EscalationPolicy, PolicyStep } from '@/features/admin/types';

function StepSummary({ step }: { step: PolicyStep }) {
  const { t } = useTranslation();
  const targets = [
    step.notify.users.length ? t('admin.policy.summaryUsers', { count: step.notify.users.length }) : null,
    ...step.notify.roles.map((role) => t(`members.roles.${role}`)),
    step.notify.on_duty.length ? t('admin.policy.summaryOnDuty', { lines: step.notify.on_duty.join(', ') }) : null,
  ].filter(Boolean);
  return (
    <li>
      {t('admin.policy.summaryStep', { minutes: step.after_minutes })}
      {targets.join(t('common.listSeparator')) || t('admin.policy.summaryNobody')}
    </li>
  );
}

function PolicyCard({ policy, onEdit, onDelete }: { policy: EscalationPolicy; onEdit: () => void; onDelete: () => void }) {
  const { t } = useTranslation();
  return (
    <li className="settings-card policy-card">
      <h2>{policy.name}</h2>
      <ol className="policy-steps">
        {policy.steps.map((step, index) => (
          <StepSummary key={index} step={step} />
        ))}
      </ol>
      {policy.repeat > 0 ? <p className="field-hint">{t('admin.policy.summaryRepeat', { count: policy.repeat })}</p> : null}
      <div className="form-actions">
        <button type="button" className="button button-secondary" onClick={onEdit}>
          {t('admin.editNamed', { name: policy.name })}
        </button>
        <button type="button" className="button button-danger" onClick={onDelete}>
          {t('admin.deleteNamed', { name: policy.name })}
        </button>
      </div>
    </li>
  );
}

type Editing = { kind: 'new' } | { kind: 'edit'; policy: EscalationPolicy } | null;

/** /admin/policies: list, create, edit and delete escalation policies (administrators). */
export function PoliciesPage() {
  const { t } = useTranslation();
  const policies = useEscalationPolicies();
  const remove = useDeleteEscalationPolicy();
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<EscalationPolicy | null>(null);
  const [notice, setNotice] = useState('');

  if (editing) {
    const policy = editing.kind === 'edit' ? editing.policy : undefined;
    return (
      <PolicyForm
        key={policy?.policy_id ?? 'new'}
        policy={policy}
        onCancel={() => setEditing(null)}
        onDone={() => {
          setNotice(t('admin.saved'));
          setEditing(null);
        }}
      />
    );
  }

  return (
    <section className="admin-section" aria-labelledby="policies-heading">
      <div className="page-heading">
        <h2 id="policies-heading">{t('admin.policy.heading')}</h2>
        <button type="button" className="button button-primary" onClick={() => setEditing({ kind: 'new' })}>
          <span aria-hidden="true">＋</span>
          {t('admin.policy.new')}
        </button>
      </div>
      <p className="field-hint">{t('admin.policy.intro')}</p>
      <p className="form-status" role="status">
        {notice}
      </p>
      {remove.isError ? <ErrorAlert error={remove.error} /> : null}
      {policies.isPending ? (
        <Loading />
      ) : policies.isError ? (
        <ErrorAlert error={policies.error} onRetry={() => void policies.refetch()} />
      ) : policies.data.length === 0 ? (
        <p className="empty-state">{t('admin.policy.empty')}</p>
      ) : (
        <ul className="policy-list" aria-labelledby="policies-heading">
          {policies.data.map((policy) => (
            <PolicyCard
              key={policy.policy_id}
              policy={policy}
              onEdit={() => {
                setNotice('');
                setEditing({ kind: 'edit', policy });
              }}
              onDelete={() => setDeleting(policy)}
            />
          ))}
        </ul>
      )}
      {deleting ? (
        <ConfirmDialog
          title={t('admin.policy.deleteTitle')}
          message={t('admin.policy.deleteConfirm', { name: deleting.name })}
          confirmLabel={t('admin.delete')}
          danger
          pending={remove.isPending}
          onCancel={() => setDeleting(null)}
          onConfirm={() =>
            remove.mutate(deleting.policy_id, {
              onSuccess: () => setNotice(t('admin.deleted', { name: deleting.name })),
              onSettled: () => setDeleting(null),
            })
          }
        />
      ) : null}
    </section>
  );
}
