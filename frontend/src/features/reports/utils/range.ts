import type { ReportRange } from '@/features/reports/types';

const DAY_MS = 86_400_000;
/** The API refuses more (400); the trend asks one summary per week, so it shows at most this many. */
export const MAX_DAYS = 366;
export const MAX_TREND_WEEKS = 26;

function parseDay(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

export function formatDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The last `days` days up to `today` (both included). */
export function lastDays(days: number, today: Date = new Date()): ReportRange {
  const end = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  return { from: formatDay(end - (days - 1) * DAY_MS), to: formatDay(end) };
}

/** Why a range cannot be asked ('order' | 'tooLong' | 'invalid'), or null when it can. */
export function rangeProblem({ from, to }: ReportRange): 'invalid' | 'order' | 'tooLong' | null {
  const start = parseDay(from);
  const end = parseDay(to);
  if (Number.isNaN(start) || Number.isNaN(end)) return 'invalid';
  if (end < start) return 'order';
  if ((end - start) / DAY_MS + 1 > MAX_DAYS) return 'tooLong';
  return null;
}

/** Consecutive 7-day weeks from `from` (the last one ends at `to`), at most the latest `max`. */
export function weeksOf({ from, to }: ReportRange, max = MAX_TREND_WEEKS): ReportRange[] {
  const start = parseDay(from);
  const end = parseDay(to);
  const weeks: ReportRange[] = [];
  for (let day = start; day <= end; day += 7 * DAY_MS) {
    weeks.push({ from: formatDay(day), to: formatDay(Math.min(day + 6 * DAY_MS, end)) });
  }
  return weeks.slice(-max);
}
