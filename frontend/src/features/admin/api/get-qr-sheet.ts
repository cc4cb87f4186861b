/**
 * GET /api/plant/lines/:lineId/qr-sheet (administrators) → an SVG sheet with one QR code per
 * station, each opening `/rooms/new?line_id=…&station_id=…`. SVG is not JSON, so the Blob is
 * fetched here (bearer token, one refresh and retry on a 401, the contract's errors).
 */
import { useQuery } from '@tanstack/react-query';
import { apiUrl, refreshSession, toApiError } from '@/lib/api-client';
import { getAccessToken } from '@/lib/session';

export async function getQrSheet(lineId: string, signal?: AbortSignal): Promise<Blob> {
  const url = apiUrl(`/api/plant/lines/${encodeURIComponent(lineId)}/qr-sheet`);
  const send = () =>
    fetch(url, { headers: { Accept: 'image/svg+xml', Authorization: `Bearer ${getAccessToken() ?? ''}` }, signal });
  let response = await send();
  if (response.status === 401) {
    await refreshSession();
    response = await send();
  }
  if (!response.ok) throw await toApiError(response);
  return response.blob();
}

export function useQrSheet(lineId: string) {
  return useQuery({
    queryKey: ['qr-sheet', lineId],
    queryFn: ({ signal }) => getQrSheet(lineId, signal),
    enabled: lineId !== '',
  });
}
