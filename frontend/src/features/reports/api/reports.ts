import { useQueries, useQuery } from '@tanstack/react-query';
import { api, apiUrl } from '@/lib/api-client';
import { fetchFile, type DownloadedFile } from '@/lib/download';
import type { GroupBy, Pareto, ParetoBy, ParetoMeasure, ReportRange, Summary } from '@/features/reports/types';

/** GET /api/reports/summary (administrators). */
export function getSummary(range: ReportRange, groupBy: GroupBy, signal?: AbortSignal): Promise<Summary> {
  return api.get<Summary>('/api/reports/summary', { query: { ...range, group_by: groupBy }, ...(signal ? { signal } : {}) });
}

export function useSummary(range: ReportRange, groupBy: GroupBy, enabled: boolean) {
  return useQuery({
    queryKey: ['reports', 'summary', range.from, range.to, groupBy],
    queryFn: ({ signal }) => getSummary(range, groupBy, signal),
    enabled,
  });
}

/** GET /api/reports/pareto (administrators). */
export function usePareto(range: ReportRange, by: ParetoBy, measure: ParetoMeasure, enabled: boolean) {
  return useQuery({
    queryKey: ['reports', 'pareto', range.from, range.to, by, measure],
    queryFn: ({ signal }) => api.get<Pareto>('/api/reports/pareto', { query: { ...range, by, measure }, signal }),
    enabled,
  });
}

/** One summary per week (totals only): the MTTA/MTTR trend. */
export function useWeeklyTotals(weeks: ReportRange[], enabled: boolean) {
  return useQueries({
    queries: weeks.map((week) => ({
      queryKey: ['reports', 'summary', week.from, week.to, 'severity'],
      queryFn: ({ signal }: { signal: AbortSignal }) => getSummary(week, 'severity', signal),
      enabled,
    })),
  });
}

/** GET /api/reports/incidents.csv as a file (the shared client parses JSON: fetched here). */
export function downloadIncidentsCsv(range: ReportRange): Promise<DownloadedFile> {
  const url = `${apiUrl('/api/reports/incidents.csv')}?${new URLSearchParams(range).toString()}`;
  return fetchFile(url, 'text/csv', `incidents_${range.from}_${range.to}.csv`);
}
