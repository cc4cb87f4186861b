/**
 * One room's uploads (per use: the chat tray or the files page), as an external store that
 * outlives the page: an upload keeps going while the user looks at the members tab.
 *
 * Per file: client-side check (type by extension, size limit) → POST …/files (presigned POST)
 * → XHR upload to the bucket with progress (cancel = abort) → POST …/complete → `ready`.
 * In the chat a ready file is sent as an `image_ref` / `file_ref` message with its caption once
 * the user asked to send it (the send can be asked for while it still uploads).
 */
import { useSyncExternalStore } from 'react';
import { isApiError } from '@/lib/api-client';
import { completeUpload, requestUpload } from '@/features/files/api/upload-file';
import type { FileKind, RoomFile } from '@/features/files/types';
import { checkFile, nameForPasted } from '@/features/files/utils/file-types';
import { uploadToBucket, type UploadProgress } from '@/features/files/utils/upload-to-bucket';

export type UploadErrorCode = 'too_large' | 'wrong_type' | 'empty' | (string & {});

export type UploadError = { code: UploadErrorCode; message?: string | undefined; limit?: number | undefined };

export type UploadStatus = 'uploading' | 'completing' | 'ready' | 'failed';

export type UploadItem = {
  id: string;
  name: string;
  size: number;
  kind: FileKind | null;
  contentType: string;
  status: UploadStatus;
  loaded: number;
  total: number;
  error: UploadError | null;
  file: RoomFile | null;
  caption: string;
  /** The user pressed send: the message goes out as soon as the upload is complete. */
  sendRequested: boolean;
  /** A local object URL of an image (tray preview), revoked when the item goes. */
  preview: string | null;
};

/** Sends a completed file as a chat message (message_type follows the file's kind). */
export type FileSender = (file: RoomFile, caption: string) => void;

export type UploadDeps = {
  requestUpload: typeof requestUpload;
  uploadToBucket: typeof uploadToBucket;
  completeUpload: typeof completeUpload;
};

const defaultDeps: UploadDeps = { requestUpload, uploadToBucket, completeUpload };

let counter = 0;

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

function toUploadError(error: unknown): UploadError {
  if (isApiError(error)) return { code: error.code, message: error.message };
  return { code: 'upload_failed', message: error instanceof Error ? error.message : undefined };
}

function objectUrl(file: File): string | null {
  if (!file.type.startsWith('image/') || typeof URL.createObjectURL !== 'function') return null;
  try {
    return URL.createObjectURL(file);
  } catch {
    return null;
  }
}

export class UploadQueue {
  readonly roomId: string;
  private items: UploadItem[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly blobs = new Map<string, File>();
  private readonly controllers = new Map<string, AbortController>();
  private readonly uploadedListeners = new Set<(file: RoomFile) => void>();
  private sender: FileSender | null = null;
  private readonly deps: UploadDeps;

  constructor(roomId: string, deps: Partial<UploadDeps> = {}) {
    this.roomId = roomId;
    this.deps = { ...defaultDeps, ...deps };
  }

  // -- store ------------------------------------------------------------------------------
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getItems = (): UploadItem[] => this.items;

  private set(items: UploadItem[]): void {
    this.items = items;
    this.listeners.forEach((l) => l());
  }

  private patch(id: string, changes: Partial<UploadItem>): void {
    if (!this.items.some((i) => i.id === id)) return;
    this.set(this.items.map((i) => (i.id === id ? { ...i, ...changes } : i)));
  }

  private get(id: string): UploadItem | undefined {
    return this.items.find((i) => i.id === id);
  }

  /** Called with every completed upload (the files page refreshes its list). */
  onUploaded(listener: (file: RoomFile) => void): () => void {
    this.uploadedListeners.add(listener);
    return () => this.uploadedListeners.delete(listener);
  }

  /** The chat registers its send while mounted; ready files waiting for it go out then. */
  setSender(sender: FileSender | null): void {
    this.sender = sender;
    if (sender) this.items.filter((i) => i.status === 'ready' && i.sendRequested).forEach((i) => this.deliver(i.id));
  }

  // -- actions ------------------------------------------------------------------------------
  /** Checks and starts uploading each file; refused ones stay in the list with their error. */
  add(files: File[], { sendRequested = false }: { sendRequested?: boolean } = {}): UploadItem[] {
    const added: UploadItem[] = files.map((file) => {
      counter += 1;
      const name = nameForPasted(file);
      const check = checkFile({ name, size: file.size, type: file.type });
      const id = `upload-${counter}`;
      const item: UploadItem = {
        id,
        name,
        size: file.size,
        kind: check.ok ? check.kind : (check.kind ?? null),
        contentType: check.ok ? check.contentType : file.type,
        status: check.ok ? 'uploading' : 'failed',
        loaded: 0,
        total: file.size,
        error: check.ok ? null : { code: check.error, limit: check.limit },
        file: null,
        caption: '',
        sendRequested,
        preview: check.ok ? objectUrl(file) : null,
      };
      if (check.ok) this.blobs.set(id, file);
      return item;
    });
    this.set([...this.items, ...added]);
    added.filter((i) => i.status === 'uploading').forEach((i) => void this.run(i.id));
    return added;
  }

  /** Aborts the upload (if still running) and removes the file from the list. */
  cancel(id: string): void {
    this.controllers.get(id)?.abort();
    this.remove(id);
  }

  dismiss(id: string): void {
    this.remove(id);
  }

  retry(id: string): void {
    const item = this.get(id);
    if (!item || item.status !== 'failed' || !this.blobs.has(id)) return;
    this.patch(id, { status: 'uploading', error: null, loaded: 0 });
    void this.run(id);
  }

  setCaption(id: string, caption: string): void {
    this.patch(id, { caption });
  }

  /** Send the file as a message: now if it is uploaded, else as soon as it is. */
  send(id: string): void {
    const item = this.get(id);
    if (!item || item.status === 'failed') return;
    this.patch(id, { sendRequested: true });
    if (item.status === 'ready') this.deliver(id);
  }

  sendAll(): void {
    this.items.filter((i) => i.status !== 'failed').forEach((i) => this.send(i.id));
  }

  /** Every upload stopped and forgotten (tests, logout). */
  clear(): void {
    this.controllers.forEach((c) => c.abort());
    [...this.items].forEach((i) => this.remove(i.id));
  }

  // -- internals --------------------------------------------------------------------------
  private remove(id: string): void {
    const item = this.get(id);
    if (!item) return;
    if (item.preview && typeof URL.revokeObjectURL === 'function') URL.revokeObjectURL(item.preview);
    this.blobs.delete(id);
    this.controllers.delete(id);
    this.set(this.items.filter((i) => i.id !== id));
  }

  private deliver(id: string): void {
    const item = this.get(id);
    if (!item?.file || !this.sender) return;
    this.sender(item.file, item.caption.trim());
    this.remove(id);
  }

  private async run(id: string): Promise<void> {
    const blob = this.blobs.get(id);
    const item = this.get(id);
    if (!blob || !item) return;
    const controller = new AbortController();
    this.controllers.set(id, controller);
    const { signal } = controller;
    try {
      const ticket = await this.deps.requestUpload(
        this.roomId,
        { filename: item.name, content_type: item.contentType, size: item.size },
        signal,
      );
      if (signal.aborted) return;
      await this.deps.uploadToBucket(
        ticket.upload.url,
        ticket.upload.fields,
        blob,
        (p: UploadProgress) => {
          if (!signal.aborted) this.patch(id, { loaded: p.loaded, total: p.total || item.size });
        },
        signal,
      );
      if (signal.aborted) return;
      this.patch(id, { status: 'completing', loaded: item.size, total: item.size });
      const file = await this.deps.completeUpload(this.roomId, ticket.file_id, signal);
      if (signal.aborted) return;
      this.controllers.delete(id);
      this.patch(id, { status: 'ready', file });
      this.uploadedListeners.forEach((l) => l(file));
      if (this.get(id)?.sendRequested) this.deliver(id);
    } catch (error) {
      if (isAbort(error) || signal.aborted) return;
      this.controllers.delete(id);
      this.patch(id, { status: 'failed', error: toUploadError(error) });
    }
  }
}

const queues = new Map<string, UploadQueue>();

/** The room's upload queue for one use (`chat`: sent as messages; `page`: the files page). */
export function getUploadQueue(roomId: string, use: 'chat' | 'page'): UploadQueue {
  const key = `${use}:${roomId}`;
  let queue = queues.get(key);
  if (!queue) {
    queue = new UploadQueue(roomId);
    queues.set(key, queue);
  }
  return queue;
}

export function resetUploadQueues(): void {
  queues.forEach((q) => q.clear());
  queues.clear();
}

export function useUploadItems(queue: UploadQueue): UploadItem[] {
  return useSyncExternalStore(queue.subscribe, queue.getItems, queue.getItems);
}
