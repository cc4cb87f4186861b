import { ReportsPage } from '@/features/reports/components/reports-page';

/** /reports: a lazy chunk (charts and tables load only when the page is opened). */
export function ReportsRoute() {
  return <ReportsPage />;
}
