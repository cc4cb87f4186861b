import { http, HttpResponse } from 'msw';
import type { RoomFile } from '@/features/files/types';
import { db, users } from '@/testing/mocks/db';

/** The files API of the backend (specs/file-storage.md) over an in-memory list. */

export const BUCKET_URL = 'https://bucket.test/upload';

type StoredFile = RoomFile & { room_id: string; status: 'pending' | 'complete' | 'deleted'; reject?: string };

export const filesDb = {
  files: [] as StoredFile[],
  counter: 0,
  /** Requests seen (assertions). */
  requests: [] as Array<{ method: string; path: string; body?: unknown }>,
};

export function resetFilesDb(): void {
  filesDb.files = [];
  filesDb.counter = 0;
  filesDb.requests = [];
}

const TYPES: Record<string, { kind: 'image' | 'document'; ext: string[] }> = {
  'image/jpeg': { kind: 'image', ext: ['.jpg', '.jpeg'] },
  'image/png': { kind: 'image', ext: ['.png'] },
  'image/gif': { kind: 'image', ext: ['.gif'] },
  'image/webp': { kind: 'image', ext: ['.webp'] },
  'application/pdf': { kind: 'document', ext: ['.pdf'] },
  'text/plain': { kind: 'document', ext: ['.txt', '.log'] },
  'text/csv': { kind: 'document', ext: ['.csv'] },
  'application/zip': { kind: 'document', ext: ['.zip'] },
};

function fileId(n: number): string {
  return `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`;
}

/** A complete file in a room (test setup); newer files get later `created_at`. */
export function addFile(roomId: string, overrides: Partial<StoredFile> = {}): StoredFile {
  filesDb.counter += 1;
  const n = filesDb.counter;
  const kind = overrides.kind ?? (overrides.content_type?.startsWith('image/') === false ? 'document' : 'image');
  const file: StoredFile = {
    file_id: fileId(n),
    room_id: roomId,
    filename: kind === 'image' ? `photo-${n}.png` : `report-${n}.pdf`,
    content_type: kind === 'image' ? 'image/png' : 'application/pdf',
    kind,
    size: 1024 * n,
    uploaded_by: users['wang.owner']!.user_id,
    created_at: new Date(Date.UTC(2025, 10, 17, 8, 0, 0) + n * 60_000).toISOString(),
    width: kind === 'image' ? 800 : null,
    height: kind === 'image' ? 600 : null,
    status: 'complete',
    ...overrides,
  };
  filesDb.files.push(file);
  return file;
}

function withUrls(file: StoredFile): RoomFile {
  const { status: _status, reject: _reject, ...rest } = file;
  void _status;
  void _reject;
  return {
    ...rest,
    download_url: `https://bucket.test/${file.file_id}/${encodeURIComponent(file.filename)}?sig=dl`,
    thumbnail_url: file.kind === 'image' ? `https://bucket.test/${file.file_id}/thumb.webp?sig=th` : null,
    expires_in: 300,
  };
}

function apiError(status: number, code: string, message: string) {
  return HttpResponse.json({ error: { code, message } }, { status });
}

/** The caller and their role in the room, or an error response. */
function access(request: Request, roomId: string) {
  const token = request.headers.get('Authorization')?.replace(/^Bearer /, '') ?? '';
  if (!db.accessTokens.has(token)) return { response: apiError(401, 'unauthorized', 'Token expired or invalid') };
  const user = users[db.tokenUsers.get(token) ?? 'chen.editor']!;
  if (!db.rooms.some((r) => r.room_id === roomId)) return { response: apiError(404, 'not_found', 'Room not found') };
  const members = db.members[roomId];
  const role = user.is_admin || !members ? 'OWNER' : members.find((m) => m.user_id === user.user_id)?.role;
  if (!role) return { response: apiError(403, 'forbidden', 'Not a member of this room') };
  return { user, role };
}

export const fileHandlers = [
  http.post('*/api/rooms/:roomId/files', async ({ request, params }) => {
    const roomId = String(params.roomId);
    const body = (await request.json()) as { filename: string; content_type: string; size: number };
    filesDb.requests.push({ method: 'POST', path: `/api/rooms/${roomId}/files`, body });
    const found = access(request, roomId);
    if ('response' in found) return found.response;
    if (found.role === 'VIEWER') return apiError(403, 'forbidden', 'This needs the EDITOR role');
    const type = TYPES[body.content_type];
    const ext = body.filename.slice(body.filename.lastIndexOf('.')).toLowerCase();
    if (!type) return apiError(400, 'validation_error', `Files of type ${body.content_type} are not allowed`);
    if (!type.ext.includes(ext)) return apiError(400, 'validation_error', "The file name's extension does not match its type");
    if (!(body.size > 0)) return apiError(400, 'validation_error', 'Invalid input');
    const limit = type.kind === 'image' ? 20 : 50;
    if (body.size > limit * 1024 * 1024) {
      return apiError(413, 'too_large', `The file is too large: ${type.kind}s may be at most ${limit} MB`);
    }
    const file = addFile(roomId, {
      filename: body.filename,
      content_type: body.content_type,
      kind: type.kind,
      size: body.size,
      uploaded_by: found.user.user_id,
      status: 'pending',
      created_at: new Date().toISOString(),
    });
    return HttpResponse.json(
      { file_id: file.file_id, upload: { url: BUCKET_URL, fields: { key: `uploads/${roomId}/${file.file_id}/x`, policy: 'p' } }, expires_in: 900 },
      { status: 201 },
    );
  }),

  http.post('*/api/rooms/:roomId/files/:fileId/complete', ({ request, params }) => {
    const roomId = String(params.roomId);
    filesDb.requests.push({ method: 'POST', path: `/api/rooms/${roomId}/files/${String(params.fileId)}/complete` });
    const found = access(request, roomId);
    if ('response' in found) return found.response;
    const file = filesDb.files.find((f) => f.room_id === roomId && f.file_id === params.fileId && f.status !== 'deleted');
    if (!file) return apiError(404, 'not_found', 'File not found');
    if (file.reject) return apiError(400, 'validation_error', file.reject);
    file.status = 'complete';
    const { download_url: _d, thumbnail_url: _t, expires_in: _e, ...view } = withUrls(file);
    void _d;
    void _t;
    void _e;
    return HttpResponse.json(view);
  }),

  http.get('*/api/rooms/:roomId/files', ({ request, params }) => {
    const roomId = String(params.roomId);
    const found = access(request, roomId);
    if ('response' in found) return found.response;
    const url = new URL(request.url);
    const limit = Number(url.searchParams.get('limit') ?? 20);
    const type = url.searchParams.get('type');
    const start = Number(url.searchParams.get('cursor') ?? 0);
    filesDb.requests.push({ method: 'GET', path: `/api/rooms/${roomId}/files${url.search}` });
    const all = filesDb.files
      .filter((f) => f.room_id === roomId && f.status === 'complete' && (!type || f.kind === type))
      .sort((a, b) => b.created_at.localeCompare(a.created_at));
    const page = all.slice(start, start + limit);
    const next = start + limit < all.length ? String(start + limit) : null;
    return HttpResponse.json({ files: page.map(withUrls), next_cursor: next });
  }),

  http.get('*/api/rooms/:roomId/files/:fileId', ({ request, params }) => {
    const roomId = String(params.roomId);
    const found = access(request, roomId);
    if ('response' in found) return found.response;
    const file = filesDb.files.find((f) => f.room_id === roomId && f.file_id === params.fileId && f.status === 'complete');
    if (!file) return apiError(404, 'not_found', 'File not found');
    return HttpResponse.json(withUrls(file));
  }),

  http.delete('*/api/rooms/:roomId/files/:fileId', ({ request, params }) => {
    const roomId = String(params.roomId);
    filesDb.requests.push({ method: 'DELETE', path: `/api/rooms/${roomId}/files/${String(params.fileId)}` });
    const found = access(request, roomId);
    if ('response' in found) return found.response;
    const file = filesDb.files.find((f) => f.room_id === roomId && f.file_id === params.fileId && f.status !== 'deleted');
    if (!file) return apiError(404, 'not_found', 'File not found');
    if (file.uploaded_by !== found.user.user_id && found.role !== 'OWNER') {
      return apiError(403, 'forbidden', 'Only the uploader or an OWNER may delete this file');
    }
    file.status = 'deleted';
    return new HttpResponse(null, { status: 204 });
  }),
];
