import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '@/components/dialog';
import { ErrorAlert } from '@/components/error-alert';
import { FileDropZone } from '@/components/file-drop-zone';
import { errorMessage } from '@/lib/errors';
import { formatDateTime } from '@/lib/format';
import { canWrite, hasRole, type RoomRole, type RoomState } from '@/lib/roles';
import { useDeleteFile } from '@/features/files/api/delete-file';
import { useRoomFiles } from '@/features/files/api/get-files';
import { FilePickerButtons } from '@/features/files/components/file-picker-buttons';
import { FileTypeIcon } from '@/features/files/components/icons';
import { ImageViewer } from '@/features/files/components/image-viewer';
import { UploadTray } from '@/features/files/components/upload-tray';
import { getUploadQueue } from '@/features/files/hooks/upload-queue';
import type { FileKind, RoomFile } from '@/features/files/types';
import { fileIcon, formatSize } from '@/features/files/utils/file-types';

type Props = {
  roomId: string;
  selfId: string;
  role: RoomRole | undefined;
  /** The room's status decides, with the role, whether the user may upload. */
  room: RoomState;
  nameOf: (userId: string) => string;
};

const FILTERS: Array<{ value: FileKind | null; key: 'files.filter.all' | 'files.filter.image' | 'files.filter.document' }> = [
  { value: null, key: 'files.filter.all' },
  { value: 'image', key: 'files.filter.image' },
  { value: 'document', key: 'files.filter.document' },
];

/**
 * /rooms/:roomId/files — the room's files, newest first: type filter, thumbnail or icon, name,
 * size, uploader, time, download; delete for the uploader and OWNERs (confirmed); "load more";
 * upload (EDITOR+, not archived) with drag-and-drop.
 */
export function FilesPage({ roomId, selfId, role, room, nameOf }: Props) {
  const { t, i18n } = useTranslation();
  const [type, setType] = useState<FileKind | null>(null);
  const files = useRoomFiles(roomId, type);
  const remove = useDeleteFile(roomId);
  const [confirming, setConfirming] = useState<RoomFile | null>(null);
  const [viewing, setViewing] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const queue = useMemo(() => getUploadQueue(roomId, 'page'), [roomId]);
  const canUpload = canWrite(role, room);

  useEffect(
    () => queue.onUploaded(() => void queryClient.invalidateQueries({ queryKey: ['files', roomId, 'list'] })),
    [queue, queryClient, roomId],
  );

  const list = files.data?.pages.flatMap((p) => p.files) ?? [];
  const canDelete = (file: RoomFile) => file.uploaded_by === selfId || hasRole(role, 'OWNER');
  const addFiles = (picked: File[]) => queue.add(picked);

  return (
    <section className="room-section files-page" aria-labelledby="room-section-heading">
      <FileDropZone onFiles={canUpload ? addFiles : undefined} label={t('files.dropHere')}>
        <div className="files-toolbar">
          <h2 id="room-section-heading">{t('files.heading')}</h2>
          {canUpload ? <FilePickerButtons onFiles={addFiles} showLabels /> : null}
        </div>
        <div className="files-filter" role="group" aria-label={t('files.filter.label')}>
          {FILTERS.map((f) => (
            <button
              key={f.key}
              type="button"
              className={`button ${type === f.value ? 'button-primary' : 'button-secondary'}`}
              aria-pressed={type === f.value}
              onClick={() => setType(f.value)}
            >
              {t(f.key)}
            </button>
          ))}
        </div>
        {canUpload ? (
          <>
            <p className="field-hint files-hint">{t('files.limits')}</p>
            <UploadTray queue={queue} mode="page" />
          </>
        ) : null}
        {remove.isError ? (
          <p className="alert alert-error" role="alert">
            {t('files.deleteFailed', { reason: errorMessage(remove.error, t) })}
          </p>
        ) : null}
        {files.isPending ? (
          <p className="loading" role="status">
            {t('app.loading')}
          </p>
        ) : files.isError && !list.length ? (
          <ErrorAlert error={files.error} onRetry={() => void files.refetch()} />
        ) : list.length === 0 ? (
          <p className="placeholder" data-testid="files-empty">
            {type === null ? t('files.empty') : t('files.emptyFiltered')}
          </p>
        ) : (
          <ul className="files-list" data-testid="files-list">
            {list.map((file) => (
              <li key={file.file_id} className="files-row" data-testid="file-row" data-file-id={file.file_id}>
                {file.kind === 'image' && file.thumbnail_url ? (
                  <button
                    type="button"
                    className="files-thumb"
                    onClick={() => setViewing(file.file_id)}
                    aria-label={t('files.openImage', { name: file.filename })}
                  >
                    <img src={file.thumbnail_url} alt="" loading="lazy" decoding="async" />
                  </button>
                ) : (
                  <span className="files-thumb files-icon" aria-hidden="true">
                    <FileTypeIcon label={fileIcon(file.content_type, file.filename)} />
                  </span>
                )}
                <div className="files-info">
                  <span className="files-name">{file.filename}</span>
                  <span className="file-meta">
                    {formatSize(file.size, i18n.language)}
                    {' · '}
                    {file.uploaded_by === selfId ? t('chat.you') : nameOf(file.uploaded_by)}
                    {' · '}
                    <time dateTime={file.created_at}>{formatDateTime(file.created_at, i18n.language)}</time>
                  </span>
                </div>
                <div className="files-actions">
                  {file.download_url ? (
                    <a
                      className="button button-secondary"
                      href={file.download_url}
                      download={file.filename}
                      aria-label={t('files.downloadNamed', { name: file.filename })}
                    >
                      {t('files.download')}
                    </a>
                  ) : null}
                  {canDelete(file) ? (
                    <button
                      type="button"
                      className="button button-danger"
                      onClick={() => setConfirming(file)}
                      aria-label={t('files.deleteNamed', { name: file.filename })}
                    >
                      {t('files.delete')}
                    </button>
                  ) : null}
                </div>
              </li>
            ))}
          </ul>
        )}
        {files.hasNextPage ? (
          <button
            type="button"
            className="button button-secondary button-block"
            onClick={() => void files.fetchNextPage()}
            disabled={files.isFetchingNextPage}
          >
            {files.isFetchingNextPage ? t('app.loading') : t('files.more')}
          </button>
        ) : null}
      </FileDropZone>
      {confirming ? (
        <ConfirmDialog
          title={t('files.confirmDelete.title')}
          message={t('files.confirmDelete.message', { name: confirming.filename })}
          confirmLabel={t('files.delete')}
          danger
          pending={remove.isPending}
          onCancel={() => setConfirming(null)}
          onConfirm={() =>
            remove.mutate(confirming.file_id, {
              onSettled: () => setConfirming(null),
            })
          }
        />
      ) : null}
      {viewing ? <ImageViewer roomId={roomId} fileId={viewing} onClose={() => setViewing(null)} /> : null}
    </section>
  );
}
