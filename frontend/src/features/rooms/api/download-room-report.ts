/** GET /api/rooms/:roomId/report?format=md|pdf (any member) → the incident report as a file. */
import { apiUrl } from '@/lib/api-client';
import { fetchFile, type DownloadedFile } from '@/lib/download';

export type ReportFormat = 'pdf' | 'md';

const ACCEPT: Record<ReportFormat, string> = { pdf: 'application/pdf', md: 'text/markdown' };

export function downloadRoomReport(roomId: string, format: ReportFormat): Promise<DownloadedFile> {
  const url = `${apiUrl(`/api/rooms/${encodeURIComponent(roomId)}/report`)}?format=${format}`;
  return fetchFile(url, ACCEPT[format], `incident-report.${format}`);
}
