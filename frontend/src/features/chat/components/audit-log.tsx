import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '@/components/error-alert';
import { Loading } from '@/components/loading';
import { useAudit, type AuditEntry } from '@/features/chat/api/get-audit';
import { formatDateTimeFull } from '@/features/chat/utils/format';

function Content({ value }: { value: AuditEntry['before'] }) {
  const { t } = useTranslation();
  if (value === null || value === undefined || value === '') return <span className="audit-none">{t('ops.audit.none')}</span>;
  if (typeof value === 'string') return <span className="audit-text">{value}</span>;
  return (
    <span className="audit-text">
      {Object.entries(value)
        .map(([key, reading]) => `${key}: ${String(reading)}`)
        .join(', ')}
    </span>
  );
}

type AuditLogProps = {
  roomId: string;
  nameOf: (userId: string) => string;
};

/** /rooms/:roomId/audit (OWNER / admin): who edited or deleted which message when, with before / after. */
export function AuditLog({ roomId, nameOf }: AuditLogProps) {
  const { t, i18n } = useTranslation();
  const audit = useAudit(roomId);
  if (audit.isPending) return <Loading />;
  if (audit.isError) return <ErrorAlert error={audit.error} onRetry={() => void audit.refetch()} />;
  const entries = audit.data.pages.flatMap((page) => page.entries);
  if (!entries.length) return <p className="placeholder">{t('ops.audit.empty')}</p>;
  return (
    <>
      <ol className="audit-list" data-testid="audit-list">
        {entries.map((entry, index) => {
          const action = entry.action === 'delete' ? t('ops.audit.delete') : t('ops.audit.edit');
          return (
            <li key={`${entry.message_id}-${entry.at}-${index}`} className={`audit-entry audit-${entry.action}`} data-testid="audit-entry">
              <p className="audit-head">
                <span className={`badge audit-badge audit-badge-${entry.action}`}>{action}</span>{' '}
                <span>{t('ops.audit.by', { name: nameOf(entry.actor_id), action })}</span>{' '}
                <time dateTime={entry.at}>{formatDateTimeFull(entry.at, i18n.language)}</time>
              </p>
              <dl className="audit-diff">
                <div>
                  <dt>{t('ops.audit.before')}</dt>
                  <dd>
                    <Content value={entry.before} />
                  </dd>
                </div>
                <div>
                  <dt>{t('ops.audit.after')}</dt>
                  <dd>
                    <Content value={entry.after} />
                  </dd>
                </div>
              </dl>
            </li>
          );
        })}
      </ol>
      {audit.hasNextPage ? (
        <button
          type="button"
          className="button button-secondary"
          disabled={audit.isFetchingNextPage}
          onClick={() => void audit.fetchNextPage()}
        >
          {audit.isFetchingNextPage ? t('ops.audit.loading') : t('ops.audit.loadMore')}
        </button>
      ) : null}
    </>
  );
}
