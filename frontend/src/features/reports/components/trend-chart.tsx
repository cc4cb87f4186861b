export type TrendPoint = { week: string; mtta: number | null; mttr: number | null };

const W = 640;
const H = 220;
const PAD = { left: 48, right: 16, top: 12, bottom: 36 };

/** MTTA and MTTR medians (minutes) by week — plain SVG lines. */
export function TrendChart({ points, title, labels }: { points: TrendPoint[]; title: string; labels: { mtta: string; mttr: string } }) {
  const max = Math.max(1, ...points.flatMap((p) => [p.mtta ?? 0, p.mttr ?? 0]));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length > 1 ? (i * plotW) / (points.length - 1) : plotW / 2);
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const path = (pick: (p: TrendPoint) => number | null) =>
    points
      .map((p, i) => ({ v: pick(p), i }))
      .filter((p): p is { v: number; i: number } => p.v !== null)
      .map((p) => `${x(p.i)},${y(p.v)}`)
      .join(' ');
  return (
    <svg className="report-chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
      <title>{title}</title>
      <polyline points={path((p) => p.mtta)} fill="none" stroke="var(--color-accent, #2563eb)" strokeWidth="2" data-testid="trend-mtta" />
      <polyline points={path((p) => p.mttr)} fill="none" stroke="var(--color-danger, #dc2626)" strokeWidth="2" data-testid="trend-mttr" />
      {points.map((p, i) => (
        <text key={p.week} x={x(i)} y={H - 12} textAnchor="middle" fontSize="10">
          {p.week.slice(5)}
        </text>
      ))}
      <text x={PAD.left} y={PAD.top + 10} fontSize="11" fill="var(--color-accent, #2563eb)">{labels.mtta}</text>
      <text x={PAD.left + 120} y={PAD.top + 10} fontSize="11" fill="var(--color-danger, #dc2626)">{labels.mttr}</text>
      <text x={4} y={PAD.top + 10} fontSize="10">{Math.round(max)}</text>
      <line x1={PAD.left} x2={W - PAD.right} y1={PAD.top + plotH} y2={PAD.top + plotH} stroke="currentColor" />
    </svg>
  );
}
