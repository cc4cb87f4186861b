import { api } from '@/lib/api-client';
import type { RoomFile, UploadTicket } from '@/features/files/types';

const filesPath = (roomId: string) => `/api/rooms/${encodeURIComponent(roomId)}/files`;

/** POST /api/rooms/{room_id}/files (EDITOR+) → 201 presigned POST; 413 too_large, 400 validation_error. */
export function requestUpload(
  roomId: string,
  body: { filename: string; content_type: string; size: number },
  signal?: AbortSignal,
): Promise<UploadTicket> {
  return api.post<UploadTicket>(filesPath(roomId), body, signal ? { signal } : {});
}

/** POST …/files/{file_id}/complete → the file; 400 when the bytes are not what the type says. */
export function completeUpload(roomId: string, fileId: string, signal?: AbortSignal): Promise<RoomFile> {
  return api.post<RoomFile>(`${filesPath(roomId)}/${encodeURIComponent(fileId)}/complete`, undefined, signal ? { signal } : {});
}
