import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '@/components/dialog';
import { useFile } from '@/features/files/api/get-file';
import { formatSize } from '@/features/files/utils/file-types';

/** URLs older than this are fetched again when the viewer opens (they live 5 minutes). */
const FRESH_FOR_VIEWER_MS = 60_000;

type Props = { roomId: string; fileId: string; onClose: () => void };

/** Full-size image in a modal (Esc / × close it) with a download link; fresh URLs on open. */
export function ImageViewer({ roomId, fileId, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const query = useFile(roomId, fileId);
  const { refetch, dataUpdatedAt } = query;
  useEffect(() => {
    if (dataUpdatedAt && Date.now() - dataUpdatedAt > FRESH_FOR_VIEWER_MS) void refetch();
    // once, on open
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const file = query.data;
  return (
    <Dialog title={file?.filename ?? t('files.viewer.title')} onClose={onClose} className="image-viewer">
      {query.isError ? (
        <p className="file-deleted" data-testid="file-deleted">
          {t('files.deleted')}
        </p>
      ) : !file?.download_url ? (
        <p className="loading">{t('app.loading')}</p>
      ) : (
        <>
          <div className="image-viewer-frame">
            <img
              className="image-viewer-image"
              src={file.download_url}
              alt={file.filename}
              width={file.width ?? undefined}
              height={file.height ?? undefined}
              data-testid="viewer-image"
            />
          </div>
          <div className="image-viewer-actions">
            <span className="file-meta">
              {formatSize(file.size, i18n.language)}
              {file.width && file.height ? ` · ${file.width} × ${file.height}` : ''}
            </span>
            <a className="button button-primary" href={file.download_url} download={file.filename} data-testid="viewer-download">
              {t('files.download')}
            </a>
          </div>
        </>
      )}
    </Dialog>
  );
}
