import { useTranslation } from 'react-i18next';
import { formatDateTimeFull } from '@/features/chat/utils/format';
import { formatReading, isKnownField } from '@/features/chat/utils/incident-fields';
import { IncidentTrend, numericFields } from '@/features/chat/components/incident-chart';
import { useMessageOps } from '@/features/chat/hooks/use-message-ops';

/**
 * An `incident_data` message: readings as a definition list, units for known fields, time in the
 * locale; a stored one (with `messageId`, inside a chat room) offers a chart of a field over time.
 */
export function IncidentDataCard({ data, messageId }: { data: Record<string, unknown>; messageId?: string | undefined }) {
  const { t, i18n } = useTranslation();
  const ops = useMessageOps();
  const { timestamp, ...readings } = data;
  return (
    <figure className="incident-card" data-testid="incident-card">
      <figcaption className="incident-card-title">{t('chat.incidentSummary')}</figcaption>
      <dl>
        {Object.entries(readings).map(([field, value]) => (
          <div key={field} className="incident-row">
            <dt>
              {isKnownField(field) ? t(`chat.incident.fields.${field}` as 'chat.incident.fields.temperature') : field}
            </dt>
            <dd>{formatReading(value, field, i18n.language)}</dd>
          </div>
        ))}
        {typeof timestamp === 'string' ? (
          <div className="incident-row incident-time">
            <dt>{t('chat.incident.measuredAt')}</dt>
            <dd>
              <time dateTime={timestamp}>{formatDateTimeFull(timestamp, i18n.language)}</time>
            </dd>
          </div>
        ) : null}
      </dl>
      {ops && messageId ? <IncidentTrend roomId={ops.roomId} messageId={messageId} fields={numericFields(data)} /> : null}
    </figure>
  );
}
