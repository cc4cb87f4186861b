import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { ChatMessage } from '@/features/chat/types';

/** Offsets (Unicode code points) into `message.content`. */
export type Highlight = { start: number; end: number };
export type SearchResult = { message: ChatMessage; highlights: Highlight[] };

/** GET /api/messages/search?q=&room_id=&limit=&cursor= → the caller's rooms only, newest first. */
export type SearchPage = { results: SearchResult[]; next_cursor: string | null };

export const SEARCH_PAGE_SIZE = 20;

export function searchMessages(
  q: string,
  roomId: string | null,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<SearchPage> {
  return api.get<SearchPage>('/api/messages/search', {
    query: { q, room_id: roomId ?? undefined, limit: SEARCH_PAGE_SIZE, cursor: cursor ?? undefined },
    ...(signal ? { signal } : {}),
  });
}

export function useMessageSearch(q: string, roomId: string | null) {
  return useInfiniteQuery({
    queryKey: ['messages', 'search', q, roomId],
    queryFn: ({ pageParam, signal }) => searchMessages(q, roomId, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    enabled: Boolean(q.trim()),
  });
}
