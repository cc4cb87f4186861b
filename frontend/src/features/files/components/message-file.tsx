import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isGone, useFile } from '@/features/files/api/get-file';
import { DownloadIcon, FileTypeIcon } from '@/features/files/components/icons';
import { ImageViewer } from '@/features/files/components/image-viewer';
import { fileIcon, formatSize } from '@/features/files/utils/file-types';

type Props = {
  roomId: string;
  fileId: string;
  /** `image_ref` shows a thumbnail box while loading, `file_ref` a chip. */
  messageType: string;
};

/**
 * The file of an `image_ref` / `file_ref` message: a lazy thumbnail in a fixed-size box (no
 * layout jump when it loads) that opens the full-size viewer, or a file chip (icon by type,
 * name, size, download). Presigned URLs come fresh from GET …/files/{id}; a deleted file (404)
 * shows "檔案已刪除".
 */
export function MessageFile({ roomId, fileId, messageType }: Props) {
  const { t, i18n } = useTranslation();
  const query = useFile(roomId, fileId);
  const [viewing, setViewing] = useState(false);
  const [thumbFailed, setThumbFailed] = useState(false);
  const asImage = messageType === 'image_ref';

  if (query.isError) {
    if (isGone(query.error)) {
      return (
        <p className="file-deleted" data-testid="file-deleted">
          {t('files.deleted')}
        </p>
      );
    }
    return (
      <p className="file-error" role="alert">
        {t('files.loadError')}{' '}
        <button type="button" className="button button-link" onClick={() => void query.refetch()}>
          {t('errors.retry')}
        </button>
      </p>
    );
  }

  const file = query.data;
  if (!file) {
    return asImage ? (
      <div className="file-thumb file-thumb-loading" data-testid="file-loading" aria-busy="true">
        <span className="visually-hidden">{t('app.loading')}</span>
      </div>
    ) : (
      <div className="file-chip file-chip-loading" data-testid="file-loading" aria-busy="true">
        <span className="visually-hidden">{t('app.loading')}</span>
      </div>
    );
  }

  if (file.kind === 'image' && file.thumbnail_url && !thumbFailed) {
    return (
      <>
        <button
          type="button"
          className="file-thumb"
          onClick={() => setViewing(true)}
          aria-label={t('files.openImage', { name: file.filename })}
          data-testid="file-thumbnail"
        >
          <img
            src={file.thumbnail_url}
            alt={file.filename}
            loading="lazy"
            decoding="async"
            onError={() => setThumbFailed(true)}
          />
        </button>
        {viewing ? <ImageViewer roomId={roomId} fileId={fileId} onClose={() => setViewing(false)} /> : null}
      </>
    );
  }

  return (
    <div className="file-chip" data-testid="file-chip">
      <FileTypeIcon label={fileIcon(file.content_type, file.filename)} />
      <span className="file-chip-text">
        <span className="file-chip-name">{file.filename}</span>
        <span className="file-meta">{formatSize(file.size, i18n.language)}</span>
      </span>
      {file.download_url ? (
        <a
          className="button button-secondary file-chip-download"
          href={file.download_url}
          download={file.filename}
          aria-label={t('files.downloadNamed', { name: file.filename })}
        >
          <DownloadIcon />
          <span className="file-chip-download-text">{t('files.download')}</span>
        </a>
      ) : null}
    </div>
  );
}
