import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useIncidentData, type IncidentPoint } from '@/features/chat/api/get-incident-data';
import { formatDateTimeFull, formatTime } from '@/features/chat/utils/format';
import { formatReading, isKnownField } from '@/features/chat/utils/incident-fields';

const WIDTH = 300;
const HEIGHT = 120;
const PAD = { top: 10, right: 10, bottom: 22, left: 44 };

/** Numeric readings of an incident_data message (the fields a chart can show). */
export function numericFields(data: Record<string, unknown>): string[] {
  return Object.entries(data)
    .filter(([key, value]) => key !== 'timestamp' && typeof value === 'number' && Number.isFinite(value))
    .map(([key]) => key);
}

type ChartProps = { points: IncidentPoint[]; field: string; label: string; currentId?: string | undefined };

/** A small inline-SVG line chart of one field over time; the message's own reading is marked. */
export function IncidentChart({ points, field, label, currentId }: ChartProps) {
  const { t, i18n } = useTranslation();
  if (!points.length) return <p className="incident-chart-empty">{t('ops.chart.empty')}</p>;
  const times = points.map((p, index) => {
    const time = Date.parse(p.timestamp);
    return Number.isNaN(time) ? index : time;
  });
  const values = points.map((p) => p.value);
  const [tMin, tMax] = [Math.min(...times), Math.max(...times)];
  let [vMin, vMax] = [Math.min(...values), Math.max(...values)];
  if (vMin === vMax) {
    vMin -= 1;
    vMax += 1;
  }
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) =>
    PAD.left + (tMax === tMin ? (points.length === 1 ? innerW / 2 : (i / (points.length - 1)) * innerW) : ((times[i]! - tMin) / (tMax - tMin)) * innerW);
  const y = (v: number) => PAD.top + innerH - ((v - vMin) / (vMax - vMin)) * innerH;
  const path = points.map((p, i) => `${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const fmt = (v: number) => formatReading(v, field, i18n.language);
  const summary = t('ops.chart.summary', {
    field: label,
    count: points.length,
    min: fmt(Math.min(...values)),
    max: fmt(Math.max(...values)),
    last: fmt(values.at(-1)!),
  });
  return (
    <svg
      className="incident-chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={summary}
      data-testid="incident-chart"
      preserveAspectRatio="xMidYMid meet"
    >
      <title>{summary}</title>
      <line className="chart-axis" x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={PAD.top + innerH} />
      <line className="chart-axis" x1={PAD.left} y1={PAD.top + innerH} x2={PAD.left + innerW} y2={PAD.top + innerH} />
      <text className="chart-label" x={PAD.left - 4} y={PAD.top + 4} textAnchor="end">
        {new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 2 }).format(Math.max(...values))}
      </text>
      <text className="chart-label" x={PAD.left - 4} y={PAD.top + innerH} textAnchor="end">
        {new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 2 }).format(Math.min(...values))}
      </text>
      <text className="chart-label" x={PAD.left} y={HEIGHT - 6} textAnchor="start">
        {formatTime(points[0]!.timestamp, i18n.language)}
      </text>
      {points.length > 1 ? (
        <text className="chart-label" x={PAD.left + innerW} y={HEIGHT - 6} textAnchor="end">
          {formatTime(points.at(-1)!.timestamp, i18n.language)}
        </text>
      ) : null}
      {points.length > 1 ? <polyline className="chart-line" points={path} fill="none" /> : null}
      {points.map((p, i) => (
        <circle
          key={`${p.message_id}-${i}`}
          className={p.message_id === currentId ? 'chart-point chart-point-current' : 'chart-point'}
          data-testid="chart-point"
          data-current={p.message_id === currentId ? 'true' : undefined}
          cx={x(i)}
          cy={y(p.value)}
          r={p.message_id === currentId ? 4.5 : 3}
        >
          <title>{`${fmt(p.value)} · ${formatDateTimeFull(p.timestamp, i18n.language)}`}</title>
        </circle>
      ))}
    </svg>
  );
}

type TrendProps = { roomId: string; messageId?: string | undefined; fields: string[] };

/** "趨勢圖" toggle under an incident card: field selector + the chart (fetched only when opened). */
export function IncidentTrend({ roomId, messageId, fields }: TrendProps) {
  const { t } = useTranslation();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [field, setField] = useState(fields[0] ?? '');
  const series = useIncidentData(roomId, open && field ? field : null);
  if (!fields.length) return null;
  const labelOf = (name: string) =>
    isKnownField(name) ? t(`chat.incident.fields.${name}` as 'chat.incident.fields.temperature') : name;
  return (
    <div className="incident-trend">
      <button
        type="button"
        className="button button-link button-small"
        aria-expanded={open}
        onClick={() => setOpen((value) => !value)}
      >
        {open ? t('ops.chart.hide') : t('ops.chart.show')}
      </button>
      {open ? (
        <div className="incident-trend-body">
          {fields.length > 1 ? (
            <label htmlFor={`${id}-field`} className="incident-trend-field">
              <span>{t('ops.chart.field')}</span>
              <select id={`${id}-field`} value={field} onChange={(event) => setField(event.target.value)}>
                {fields.map((name) => (
                  <option key={name} value={name}>
                    {labelOf(name)}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          {series.isPending ? (
            <p className="loading">{t('app.loading')}</p>
          ) : series.isError ? (
            <p className="alert alert-error" role="alert">
              {t('ops.chart.error')}
            </p>
          ) : (
            <IncidentChart points={series.data.points} field={field} label={labelOf(field)} currentId={messageId} />
          )}
        </div>
      ) : null}
    </div>
  );
}
