import { ApiError } from '@/lib/api-client';

export type UploadProgress = { loaded: number; total: number };

/** The bucket's XML error (`<Code>EntityTooLarge</Code><Message>…</Message>`), if any. */
function bucketError(status: number, body: string): ApiError {
  const code = /<Code>([^<]+)<\/Code>/.exec(body)?.[1];
  const message = /<Message>([^<]+)<\/Message>/.exec(body)?.[1];
  const mapped = code === 'EntityTooLarge' ? 'too_large' : status === 0 ? 'network_error' : 'upload_failed';
  return new ApiError(status, mapped, message ?? code ?? (status ? `HTTP ${status}` : 'Network error'));
}

/**
 * The browser's upload straight to the bucket: a presigned POST, multipart form data with every
 * policy field first and the file last (field name `file`). XMLHttpRequest because fetch has no
 * upload progress; `signal` aborts it (cancel). Rejects with an `AbortError` DOMException on abort.
 */
export function uploadToBucket(
  url: string,
  fields: Record<string, string>,
  file: Blob,
  onProgress: (progress: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new DOMException('Upload cancelled', 'AbortError'));
      return;
    }
    const form = new FormData();
    for (const [key, value] of Object.entries(fields)) form.append(key, value);
    form.append('file', file);
    const xhr = new XMLHttpRequest();
    const onAbort = () => xhr.abort();
    xhr.open('POST', url);
    xhr.upload.onprogress = (event) => {
      onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : file.size });
    };
    xhr.onload = () => {
      signal?.removeEventListener('abort', onAbort);
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress({ loaded: file.size, total: file.size });
        resolve();
      } else {
        reject(bucketError(xhr.status, typeof xhr.responseText === 'string' ? xhr.responseText : ''));
      }
    };
    xhr.onerror = () => {
      signal?.removeEventListener('abort', onAbort);
      reject(bucketError(0, ''));
    };
    xhr.onabort = () => {
      signal?.removeEventListener('abort', onAbort);
      reject(new DOMException('Upload cancelled', 'AbortError'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    xhr.send(form);
  });
}
