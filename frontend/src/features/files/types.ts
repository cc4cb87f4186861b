/** A room file as the API returns it (specs/file-storage.md). */
export type FileKind = 'image' | 'document';

export type RoomFile = {
  file_id: string;
  room_id?: string;
  filename: string;
  content_type: string;
  kind: FileKind;
  size: number;
  uploaded_by: string;
  created_at: string;
  width?: number | null;
  height?: number | null;
  /** GET …/files/{id} and the list: short-lived presigned URLs (attachment / inline). */
  download_url?: string;
  thumbnail_url?: string | null;
  expires_in?: number;
};

export type FilesPage = { files: RoomFile[]; next_cursor: string | null };

/** 201 of POST /api/rooms/{id}/files: a presigned POST to the bucket. */
export type UploadTicket = {
  file_id: string;
  upload: { url: string; fields: Record<string, string> };
  expires_in: number;
};
