import { useTranslation } from 'react-i18next';
import { useUploadItems, type UploadItem, type UploadQueue } from '@/features/files/hooks/upload-queue';
import { FileTypeIcon } from '@/features/files/components/icons';
import { useUploadErrorText } from '@/features/files/components/upload-error';
import { fileIcon, formatSize } from '@/features/files/utils/file-types';

type Props = {
  queue: UploadQueue;
  /** `chat`: each file gets a caption and a send button; `page`: upload only. */
  mode: 'chat' | 'page';
};

function percent(item: UploadItem): number {
  if (item.status === 'ready' || item.status === 'completing') return 100;
  return item.total > 0 ? Math.min(100, Math.round((item.loaded / item.total) * 100)) : 0;
}

function TrayItem({ queue, item, mode }: { queue: UploadQueue; item: UploadItem; mode: Props['mode'] }) {
  const { t, i18n } = useTranslation();
  const errorText = useUploadErrorText();
  const value = percent(item);
  const running = item.status === 'uploading' || item.status === 'completing';
  const captionId = `${item.id}-caption`;
  return (
    <li
      className={`upload-item upload-${item.status}`}
      data-testid="upload-item"
      data-status={item.status}
      aria-label={item.name}
    >
      <div className="upload-head">
        {item.preview ? (
          <img className="upload-preview" src={item.preview} alt="" />
        ) : (
          <FileTypeIcon label={fileIcon(item.contentType, item.name)} />
        )}
        <div className="upload-info">
          <span className="upload-name">{item.name}</span>
          <span className="upload-meta">
            {formatSize(item.size, i18n.language)}
            {' · '}
            <span aria-live="polite">
              {item.status === 'uploading'
                ? t('files.tray.uploading', { percent: value })
                : item.status === 'completing'
                  ? t('files.tray.checking')
                  : item.status === 'ready'
                    ? mode === 'chat'
                      ? t('files.tray.readyToSend')
                      : t('files.tray.uploaded')
                    : t('files.tray.failed')}
            </span>
          </span>
        </div>
        {running ? (
          <button
            type="button"
            className="button button-secondary upload-cancel"
            onClick={() => queue.cancel(item.id)}
            aria-label={t('files.tray.cancelNamed', { name: item.name })}
          >
            {t('files.tray.cancel')}
          </button>
        ) : (
          <button
            type="button"
            className="button button-icon upload-dismiss"
            onClick={() => queue.dismiss(item.id)}
            aria-label={t('files.tray.removeNamed', { name: item.name })}
          >
            <span aria-hidden="true">×</span>
          </button>
        )}
      </div>
      {item.status !== 'failed' ? (
        <div
          className="upload-progress"
          role="progressbar"
          aria-label={t('files.tray.progressNamed', { name: item.name })}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={value}
          aria-valuetext={`${value}%`}
        >
          <span className="upload-progress-bar" style={{ width: `${value}%` }} />
        </div>
      ) : null}
      {item.status === 'failed' && item.error ? (
        <p className="upload-error" role="alert">
          {errorText({ kind: item.kind, error: item.error })}
          {item.error.code !== 'wrong_type' && item.error.code !== 'too_large' && item.error.code !== 'empty' &&
          item.error.code !== 'validation_error' ? (
            <>
              {' '}
              <button type="button" className="button button-link" onClick={() => queue.retry(item.id)}>
                {t('errors.retry')}
              </button>
            </>
          ) : null}
        </p>
      ) : null}
      {mode === 'chat' && item.status !== 'failed' ? (
        <div className="upload-send">
          <label htmlFor={captionId} className="visually-hidden">
            {t('files.tray.captionNamed', { name: item.name })}
          </label>
          <input
            id={captionId}
            className="upload-caption"
            type="text"
            maxLength={4000}
            value={item.caption}
            placeholder={t('files.tray.caption')}
            disabled={item.sendRequested}
            onChange={(event) => queue.setCaption(item.id, event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && !event.nativeEvent.isComposing && event.keyCode !== 229) {
                event.preventDefault();
                queue.send(item.id);
              }
            }}
          />
          <button
            type="button"
            className="button button-primary"
            onClick={() => queue.send(item.id)}
            disabled={item.sendRequested}
            aria-label={t('files.tray.sendNamed', { name: item.name })}
          >
            {item.sendRequested ? t('files.tray.sendQueued') : t('files.tray.send')}
          </button>
        </div>
      ) : null}
    </li>
  );
}

/** Files being uploaded: progress bar per file, cancel, errors; in the chat a caption and send. */
export function UploadTray({ queue, mode }: Props) {
  const { t } = useTranslation();
  const items = useUploadItems(queue);
  if (!items.length) return null;
  const sendable = items.filter((i) => i.status !== 'failed' && !i.sendRequested).length;
  return (
    <section className="upload-tray" aria-label={t('files.tray.label')} data-testid="upload-tray">
      <ul className="upload-list">
        {items.map((item) => (
          <TrayItem key={item.id} queue={queue} item={item} mode={mode} />
        ))}
      </ul>
      {mode === 'chat' && sendable > 1 ? (
        <div className="upload-tray-actions">
          <button type="button" className="button button-primary" onClick={() => queue.sendAll()}>
            {t('files.tray.sendAll', { count: sendable })}
          </button>
        </div>
      ) : null}
    </section>
  );
}
