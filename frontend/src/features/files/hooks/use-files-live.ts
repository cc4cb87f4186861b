import { useQueryClient } from '@tanstack/react-query';
import { useRealtimeFrames } from '@/lib/socket/hooks';

/**
 * A `file_deleted` system frame (someone deleted a file of a room) marks that room's file
 * queries stale, so open chats show "檔案已刪除" and the files page drops the file at once.
 */
export function useFilesLive(): void {
  const queryClient = useQueryClient();
  useRealtimeFrames('system', (frame) => {
    if (frame.event === 'file_deleted') void queryClient.invalidateQueries({ queryKey: ['files', frame.room_id] });
  });
}
