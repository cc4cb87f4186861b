import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { fileQueryKey } from '@/features/files/api/get-file';
import type { FilesPage } from '@/features/files/types';
import type { InfiniteData } from '@tanstack/react-query';

/** DELETE /api/rooms/{room_id}/files/{file_id} → 204 (uploader or OWNER); messages then show "file deleted". */
export function deleteFile(roomId: string, fileId: string): Promise<void> {
  return api.delete(`/api/rooms/${encodeURIComponent(roomId)}/files/${encodeURIComponent(fileId)}`);
}

export function useDeleteFile(roomId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (fileId: string) => deleteFile(roomId, fileId),
    onSuccess: async (_, fileId) => {
      queryClient.setQueriesData<InfiniteData<FilesPage>>({ queryKey: ['files', roomId, 'list'] }, (data) =>
        data
          ? { ...data, pages: data.pages.map((p) => ({ ...p, files: p.files.filter((f) => f.file_id !== fileId) })) }
          : data,
      );
      queryClient.removeQueries({ queryKey: fileQueryKey(roomId, fileId) });
      await queryClient.invalidateQueries({ queryKey: ['files', roomId] });
    },
  });
}
