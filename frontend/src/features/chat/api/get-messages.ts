import { api } from '@/lib/api-client';
import type { ChatMessage } from '@/features/chat/types';

export const HISTORY_PAGE_SIZE = 50;
export const RESYNC_PAGE_SIZE = 100;

/** GET /api/rooms/{id}/messages?limit=&before= → newest first. */
export type HistoryPage = { messages: ChatMessage[]; has_more: boolean; next_before: number | null };

/** GET /api/rooms/{id}/messages?after_seq= → oldest first (resync after a gap or a long replay). */
export type AfterPage = { messages: ChatMessage[]; has_more: boolean; next_after_seq?: number | null };

export function getMessagesBefore(
  roomId: string,
  before: number | null,
  limit = HISTORY_PAGE_SIZE,
  signal?: AbortSignal,
): Promise<HistoryPage> {
  return api.get<HistoryPage>(`/api/rooms/${encodeURIComponent(roomId)}/messages`, {
    query: { limit, before: before ?? undefined },
    ...(signal ? { signal } : {}),
  });
}

export function getMessagesAfter(
  roomId: string,
  afterSeq: number,
  limit = RESYNC_PAGE_SIZE,
  signal?: AbortSignal,
): Promise<AfterPage> {
  return api.get<AfterPage>(`/api/rooms/${encodeURIComponent(roomId)}/messages`, {
    query: { limit, after_seq: afterSeq },
    ...(signal ? { signal } : {}),
  });
}
