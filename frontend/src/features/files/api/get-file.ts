import { useQuery } from '@tanstack/react-query';
import { api, isApiError } from '@/lib/api-client';
import type { RoomFile } from '@/features/files/types';

/** Presigned URLs live 5 minutes: cached for less, and refreshed while shown. */
export const FILE_URL_STALE_MS = 3 * 60_000;
export const FILE_URL_REFRESH_MS = 4 * 60_000;

export const fileQueryKey = (roomId: string, fileId: string) => ['files', roomId, 'file', fileId] as const;

/** GET /api/rooms/{room_id}/files/{file_id} → metadata + `download_url` / `thumbnail_url`; 404 once deleted. */
export function getFile(roomId: string, fileId: string, signal?: AbortSignal): Promise<RoomFile> {
  return api.get<RoomFile>(
    `/api/rooms/${encodeURIComponent(roomId)}/files/${encodeURIComponent(fileId)}`,
    signal ? { signal } : {},
  );
}

export function isGone(error: unknown): boolean {
  return isApiError(error) && error.status === 404;
}

export function useFile(roomId: string, fileId: string | null | undefined) {
  return useQuery({
    queryKey: fileQueryKey(roomId, fileId ?? ''),
    queryFn: ({ signal }) => getFile(roomId, fileId!, signal),
    enabled: Boolean(roomId && fileId),
    staleTime: FILE_URL_STALE_MS,
    refetchInterval: (query) => (query.state.status === 'success' ? FILE_URL_REFRESH_MS : false),
    // a deleted file stays deleted; other errors are worth one more try
    retry: (count, error) => !isGone(error) && count < 1,
  });
}
