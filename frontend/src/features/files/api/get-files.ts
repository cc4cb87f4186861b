import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { FILE_URL_REFRESH_MS, FILE_URL_STALE_MS } from '@/features/files/api/get-file';
import type { FileKind, FilesPage } from '@/features/files/types';

export const FILES_PAGE_SIZE = 20;

export const filesQueryKey = (roomId: string, type: FileKind | null) => ['files', roomId, 'list', type ?? 'all'] as const;

/** GET /api/rooms/{room_id}/files?limit&cursor&type → `{files, next_cursor}`, newest first. */
export function getFiles(
  roomId: string,
  { type, cursor, limit = FILES_PAGE_SIZE }: { type: FileKind | null; cursor?: string | null; limit?: number },
  signal?: AbortSignal,
): Promise<FilesPage> {
  return api.get<FilesPage>(`/api/rooms/${encodeURIComponent(roomId)}/files`, {
    query: { limit, cursor: cursor ?? undefined, type: type ?? undefined },
    ...(signal ? { signal } : {}),
  });
}

export function useRoomFiles(roomId: string, type: FileKind | null) {
  return useInfiniteQuery({
    queryKey: filesQueryKey(roomId, type),
    queryFn: ({ pageParam, signal }) => getFiles(roomId, { type, cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    enabled: Boolean(roomId),
    // the pages carry presigned URLs (5 minutes)
    staleTime: FILE_URL_STALE_MS,
    refetchInterval: FILE_URL_REFRESH_MS,
  });
}
