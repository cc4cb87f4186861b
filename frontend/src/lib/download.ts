/**
 * Files from the API (the shared client parses JSON, so these fetch a Blob themselves: same
 * bearer token, one refresh and retry on a 401, errors in the contract's shape) and handing a
 * Blob to the browser as a download. `Accept` names the file's type: API Gateway returns binary
 * bodies as bytes only when the request asks for it.
 */
import { refreshSession, toApiError } from '@/lib/api-client';
import { getAccessToken } from '@/lib/session';

export type DownloadedFile = { blob: Blob; filename: string };

/**
 * The file name a `Content-Disposition` header offers (RFC 6266): the exact UTF-8 name of
 * `filename*=UTF-8''…` first (Chinese names survive), else the ASCII `filename="…"`.
 */
export function filenameFrom(header: string | null, fallback: string): string {
  const value = header ?? '';
  const extended = /filename\*\s*=\s*UTF-8''([^;\s]+)/i.exec(value);
  if (extended) {
    try {
      const name = decodeURIComponent(extended[1] ?? '');
      if (name && !/[\\/]/.test(name)) return name;
    } catch {
      // a malformed escape: fall back to the ASCII name
    }
  }
  const plain = /filename\s*=\s*"([^"]+)"/i.exec(value);
  return plain?.[1] ?? fallback;
}

/** GET `url` as a file; its name from `Content-Disposition`, else `fallbackName`. */
export async function fetchFile(url: string, accept: string, fallbackName: string): Promise<DownloadedFile> {
  const send = () => fetch(url, { headers: { Accept: accept, Authorization: `Bearer ${getAccessToken() ?? ''}` } });
  let response = await send();
  if (response.status === 401) {
    await refreshSession();
    response = await send();
  }
  if (!response.ok) throw await toApiError(response);
  return { blob: await response.blob(), filename: filenameFrom(response.headers.get('Content-Disposition'), fallbackName) };
}

/** Hand a Blob to the browser as a download. */
export function saveBlob({ blob, filename }: DownloadedFile): void {
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
