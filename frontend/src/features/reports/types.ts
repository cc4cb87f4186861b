/** The reports API (plant-and-reports.md, "reports"). */
export type GroupBy = 'line' | 'station' | 'event_code' | 'root_cause' | 'severity';
export type ParetoBy = 'root_cause' | 'event_code' | 'station';
export type ParetoMeasure = 'count' | 'downtime';

export type Spread = { median: number | null; mean: number | null; p90: number | null };

export type Figures = {
  count: number;
  acknowledged: number;
  resolved: number;
  false_alarms: number;
  mtta_s: Spread;
  mttr_s: Spread;
  downtime_minutes: number;
};

export type SummaryRow = Figures & { key: string; label: string };
export type Summary = { rows: SummaryRow[]; totals: Figures };

export type ParetoRow = { key: string; label: string; value: number; pct: number; cumulative_pct: number };
export type Pareto = { rows: ParetoRow[] };

export type ReportRange = { from: string; to: string };
