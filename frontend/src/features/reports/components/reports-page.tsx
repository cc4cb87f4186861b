import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { downloadIncidentsCsv, usePareto, useSummary, useWeeklyTotals } from '@/features/reports/api/reports';
import { ParetoChart } from '@/features/reports/components/pareto-chart';
import { TrendChart } from '@/features/reports/components/trend-chart';
import type { GroupBy, ParetoBy, ParetoMeasure, ReportRange, Spread } from '@/features/reports/types';
import { lastDays, rangeProblem, weeksOf } from '@/features/reports/utils/range';
import { saveBlob } from '@/lib/download';
import { useSession } from '@/lib/session';

const GROUPS: GroupBy[] = ['line', 'station', 'event_code', 'root_cause', 'severity'];
const PARETO_BY: Record<GroupBy, ParetoBy> = {
  line: 'station', station: 'station', event_code: 'event_code', root_cause: 'root_cause', severity: 'root_cause',
};

function minutes(seconds: number | null): string {
  return seconds === null ? '—' : (seconds / 60).toFixed(1);
}

function SpreadCells({ spread }: { spread: Spread }) {
  return (
    <>
      <td>{minutes(spread.median)}</td>
      <td>{minutes(spread.mean)}</td>
      <td>{minutes(spread.p90)}</td>
    </>
  );
}

/** /reports (administrators): counts, MTTA/MTTR and downtime by group, Pareto, weekly trend, CSV. */
export function ReportsPage() {
  const { t } = useTranslation();
  const { user } = useSession();
  const [range, setRange] = useState<ReportRange>(() => lastDays(28));
  const [groupBy, setGroupBy] = useState<GroupBy>('line');
  const [measure, setMeasure] = useState<ParetoMeasure>('count');
  const [csvError, setCsvError] = useState<string | null>(null);
  const problem = rangeProblem(range);
  const reader = Boolean(user?.is_admin || user?.can_read_reports);
  const enabled = reader && problem === null;
  const summary = useSummary(range, groupBy, enabled);
  const paretoBy = PARETO_BY[groupBy];
  const pareto = usePareto(range, paretoBy, measure, enabled);
  const weeks = enabled ? weeksOf(range) : [];
  const weekly = useWeeklyTotals(weeks, enabled);

  if (!reader) {
    return (
      <div className="page">
        <h1>{t('reports.heading')}</h1>
        <div className="alert alert-info" role="alert">
          <p>{t('reports.forbidden')}</p>
        </div>
      </div>
    );
  }

  const download = async () => {
    setCsvError(null);
    try {
      saveBlob(await downloadIncidentsCsv(range));
    } catch (error) {
      setCsvError(error instanceof Error ? error.message : String(error));
    }
  };

  const points = weeks.map((week, i) => {
    const totals = weekly[i]?.data?.totals;
    const mtta = totals?.mtta_s.median ?? null;
    const mttr = totals?.mttr_s.median ?? null;
    return { week: week.from, mtta: mtta === null ? null : mtta / 60, mttr: mttr === null ? null : mttr / 60 };
  });

  return (
    <div className="page reports-page">
      <h1>{t('reports.heading')}</h1>
      <form className="report-filters" onSubmit={(event) => event.preventDefault()}>
        <label>
          {t('reports.from')}
          <input type="date" value={range.from} onChange={(e) => setRange({ ...range, from: e.target.value })} />
        </label>
        <label>
          {t('reports.to')}
          <input type="date" value={range.to} onChange={(e) => setRange({ ...range, to: e.target.value })} />
        </label>
        <label>
          {t('reports.groupBy')}
          <select value={groupBy} onChange={(e) => setGroupBy(e.target.value as GroupBy)}>
            {GROUPS.map((group) => (
              <option key={group} value={group}>
                {t(`reports.groups.${group}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button button-secondary" onClick={() => void download()} disabled={!enabled}>
          {t('reports.downloadCsv')}
        </button>
      </form>
      {problem ? (
        <p role="alert" className="alert alert-error">
          {t(`reports.problems.${problem}`)}
        </p>
      ) : null}
      {csvError ? (
        <p role="alert" className="alert alert-error">
          {t('reports.csvFailed', { reason: csvError })}
        </p>
      ) : null}
      {summary.isError ? (
        <p role="alert" className="alert alert-error">
          {t('reports.failed')}
        </p>
      ) : null}
      {summary.data ? (
        <table className="report-table">
          <caption>{t('reports.summaryCaption', { group: t(`reports.groups.${groupBy}`) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t(`reports.groups.${groupBy}`)}</th>
              <th scope="col">{t('reports.count')}</th>
              <th scope="col">{t('reports.falseAlarms')}</th>
              <th scope="col">{t('reports.mttaMedian')}</th>
              <th scope="col">{t('reports.mttaMean')}</th>
              <th scope="col">{t('reports.mttaP90')}</th>
              <th scope="col">{t('reports.mttrMedian')}</th>
              <th scope="col">{t('reports.mttrMean')}</th>
              <th scope="col">{t('reports.mttrP90')}</th>
              <th scope="col">{t('reports.downtime')}</th>
            </tr>
          </thead>
          <tbody>
            {summary.data.rows.map((row) => (
              <tr key={row.key || '-'}>
                <th scope="row">{row.label}</th>
                <td>{row.count}</td>
                <td>{row.false_alarms}</td>
                <SpreadCells spread={row.mtta_s} />
                <SpreadCells spread={row.mttr_s} />
                <td>{row.downtime_minutes}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('reports.total')}</th>
              <td>{summary.data.totals.count}</td>
              <td>{summary.data.totals.false_alarms}</td>
              <SpreadCells spread={summary.data.totals.mtta_s} />
              <SpreadCells spread={summary.data.totals.mttr_s} />
              <td>{summary.data.totals.downtime_minutes}</td>
            </tr>
          </tfoot>
        </table>
      ) : null}
      <section aria-labelledby="pareto-heading">
        <h2 id="pareto-heading">{t('reports.paretoHeading', { by: t(`reports.groups.${paretoBy}`) })}</h2>
        <label>
          {t('reports.measure')}
          <select value={measure} onChange={(e) => setMeasure(e.target.value as ParetoMeasure)}>
            <option value="count">{t('reports.measures.count')}</option>
            <option value="downtime">{t('reports.measures.downtime')}</option>
          </select>
        </label>
        {pareto.data ? (
          pareto.data.rows.length ? (
            <ParetoChart rows={pareto.data.rows} title={t('reports.paretoChart', { by: t(`reports.groups.${paretoBy}`) })} />
          ) : (
            <p>{t('reports.empty')}</p>
          )
        ) : null}
      </section>
      <section aria-labelledby="trend-heading">
        <h2 id="trend-heading">{t('reports.trendHeading')}</h2>
        <TrendChart points={points} title={t('reports.trendChart')} labels={{ mtta: t('reports.mttaMedian'), mttr: t('reports.mttrMedian') }} />
      </section>
    </div>
  );
}
