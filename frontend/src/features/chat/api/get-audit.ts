import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

export type AuditEntry = {
  action: 'edit' | 'delete' | (string & {});
  message_id: string;
  actor_id: string;
  at: string;
  before: string | Record<string, unknown> | null;
  after: string | Record<string, unknown> | null;
};

/** GET /api/rooms/{id}/audit?limit=&cursor= (OWNER / admin) → edits and deletions, newest first. */
export type AuditPage = { entries: AuditEntry[]; next_cursor: string | null };

export const AUDIT_PAGE_SIZE = 50;

export function getAudit(roomId: string, cursor: string | null, signal?: AbortSignal): Promise<AuditPage> {
  return api.get<AuditPage>(`/api/rooms/${encodeURIComponent(roomId)}/audit`, {
    query: { limit: AUDIT_PAGE_SIZE, cursor: cursor ?? undefined },
    ...(signal ? { signal } : {}),
  });
}

export function useAudit(roomId: string, enabled = true) {
  return useInfiniteQuery({
    queryKey: ['rooms', 'audit', roomId],
    queryFn: ({ pageParam, signal }) => getAudit(roomId, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    enabled: Boolean(roomId) && enabled,
  });
}
