import type { ParetoRow } from '@/features/reports/types';

const W = 640;
const H = 240;
const PAD = { left: 40, right: 40, top: 12, bottom: 56 };

/** Bars (value, descending) with the cumulative % line — plain SVG, no chart library. */
export function ParetoChart({ rows, title }: { rows: ParetoRow[]; title: string }) {
  const max = Math.max(1, ...rows.map((row) => row.value));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = rows.length ? plotW / rows.length : plotW;
  const x = (i: number) => PAD.left + i * step;
  const y = (value: number) => PAD.top + plotH - (value / max) * plotH;
  const yPct = (pct: number) => PAD.top + plotH - (pct / 100) * plotH;
  const line = rows.map((row, i) => `${x(i) + step / 2},${yPct(row.cumulative_pct)}`).join(' ');
  return (
    <svg className="report-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
      <title>{title}</title>
      {rows.map((row, i) => (
        <g key={row.key || '-'} data-testid="pareto-bar">
          <rect x={x(i) + step * 0.15} y={y(row.value)} width={step * 0.7} height={PAD.top + plotH - y(row.value)} fill="var(--color-accent, #2563eb)">
            <title>{`${row.label}: ${row.value} (${row.pct}%)`}</title>
          </rect>
          <text x={x(i) + step / 2} y={H - PAD.bottom + 16} textAnchor="middle" fontSize="11">
            {row.label.length > 10 ? `${row.label.slice(0, 9)}…` : row.label}
          </text>
        </g>
      ))}
      {rows.length ? <polyline points={line} fill="none" stroke="var(--color-danger, #dc2626)" strokeWidth="2" /> : null}
      <text x={W - PAD.right + 4} y={yPct(100) + 4} fontSize="10">100%</text>
      <line x1={PAD.left} x2={W - PAD.right} y1={PAD.top + plotH} y2={PAD.top + plotH} stroke="currentColor" />
    </svg>
  );
}
