/**
 * GET /api/rooms/:roomId/report?format=md|pdf (any member) → the incident report as a file.
 * The shared client parses JSON, so this one request fetches a Blob itself: same bearer token,
 * one refresh and retry on a 401, errors in the contract's shape (`toApiError`). `Accept` names
 * the file's type: API Gateway returns binary bodies as bytes only when the request asks for it.
 */
import { apiUrl, refreshSession, toApiError } from '@/lib/api-client';
import { getAccessToken } from '@/lib/session';

export type ReportFormat = 'pdf' | 'md';

const ACCEPT: Record<ReportFormat, string> = { pdf: 'application/pdf', md: 'text/markdown' };

export type ReportFile = { blob: Blob; filename: string };

function filenameOf(response: Response, fallback: string): string {
  const match = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '');
  return match?.[1] ?? fallback;
}

export async function downloadRoomReport(roomId: string, format: ReportFormat): Promise<ReportFile> {
  const url = `${apiUrl(`/api/rooms/${encodeURIComponent(roomId)}/report`)}?format=${format}`;
  const send = () =>
    fetch(url, { headers: { Accept: ACCEPT[format], Authorization: `Bearer ${getAccessToken() ?? ''}` } });
  let response = await send();
  if (response.status === 401) {
    await refreshSession();
    response = await send();
  }
  if (!response.ok) throw await toApiError(response);
  return { blob: await response.blob(), filename: filenameOf(response, `incident-report.${format}`) };
}

/** Hand a Blob to the browser as a download. */
export function saveBlob({ blob, filename }: ReportFile): void {
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
