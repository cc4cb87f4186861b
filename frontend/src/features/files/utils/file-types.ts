import type { FileKind } from '@/features/files/types';

export const MB = 1024 * 1024;
/** The server's defaults (specs/file-storage.md); it checks again anyway. */
export const MAX_IMAGE_BYTES = 20 * MB;
export const MAX_DOCUMENT_BYTES = 50 * MB;

type Allowed = { contentType: string; kind: FileKind; extensions: string[] };

export const ALLOWED_TYPES: Allowed[] = [
  { contentType: 'image/jpeg', kind: 'image', extensions: ['.jpg', '.jpeg', '.jpe', '.jfif'] },
  { contentType: 'image/png', kind: 'image', extensions: ['.png'] },
  { contentType: 'image/gif', kind: 'image', extensions: ['.gif'] },
  { contentType: 'image/webp', kind: 'image', extensions: ['.webp'] },
  { contentType: 'application/pdf', kind: 'document', extensions: ['.pdf'] },
  { contentType: 'text/plain', kind: 'document', extensions: ['.txt', '.log'] },
  { contentType: 'text/csv', kind: 'document', extensions: ['.csv'] },
  { contentType: 'application/zip', kind: 'document', extensions: ['.zip'] },
  {
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    kind: 'document',
    extensions: ['.xlsx'],
  },
  {
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    kind: 'document',
    extensions: ['.docx'],
  },
];

/** `accept` of the file inputs: extensions and types. */
export const ACCEPT = [...ALLOWED_TYPES.flatMap((t) => t.extensions), ...ALLOWED_TYPES.map((t) => t.contentType)].join(',');
export const IMAGE_ACCEPT = 'image/jpeg,image/png,image/gif,image/webp';

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 || (dot === 0 && name.length > 1) ? name.slice(dot).toLowerCase() : '';
}

export type FileCheck =
  | { ok: true; kind: FileKind; contentType: string }
  | { ok: false; error: 'wrong_type' | 'too_large' | 'empty'; kind?: FileKind; limit?: number };

/**
 * Client-side check before asking for an upload URL: the extension decides the type (browsers
 * report odd or empty types, e.g. for .log or .csv on Windows), then the size limit of its kind.
 */
export function checkFile(file: Pick<File, 'name' | 'size' | 'type'>): FileCheck {
  const ext = extensionOf(file.name);
  const type = ALLOWED_TYPES.find((t) => t.extensions.includes(ext));
  if (!type) return { ok: false, error: 'wrong_type' };
  if (file.size <= 0) return { ok: false, error: 'empty', kind: type.kind };
  const limit = type.kind === 'image' ? MAX_IMAGE_BYTES : MAX_DOCUMENT_BYTES;
  if (file.size > limit) return { ok: false, error: 'too_large', kind: type.kind, limit };
  return { ok: true, kind: type.kind, contentType: type.contentType };
}

/** A pasted screenshot is called "image.png" by every browser: give it a useful name. */
export function nameForPasted(file: File, now: Date = new Date()): string {
  if (file.name && file.name !== 'image.png' && file.name !== 'image.jpeg' && file.name !== 'image.jpg') return file.name;
  const ext = ALLOWED_TYPES.find((t) => t.contentType === file.type)?.extensions[0] ?? '.png';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `paste-${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}${ext}`;
}

/** "1.5 MB", "320 KB", "12 B". */
export function formatSize(bytes: number, locale = 'zh-TW'): string {
  const fmt = (n: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: n < 10 ? 1 : 0 }).format(n);
  if (bytes >= MB) return `${fmt(bytes / MB)} MB`;
  if (bytes >= 1024) return `${fmt(bytes / 1024)} KB`;
  return `${bytes} B`;
}

/** A short type label for the file icon: "PDF", "XLSX", "CSV", "PNG" … ("FILE" when unknown). */
export function fileIcon(contentType: string, name = ''): string {
  const ext = extensionOf(name).slice(1);
  if (ext && ext.length <= 4) return ext.toUpperCase();
  const byType = ALLOWED_TYPES.find((t) => t.contentType === contentType)?.extensions[0]?.slice(1);
  return byType ? byType.toUpperCase() : 'FILE';
}
