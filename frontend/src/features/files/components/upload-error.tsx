import { useTranslation } from 'react-i18next';
import type { UploadError, UploadItem } from '@/features/files/hooks/upload-queue';
import { formatSize, MAX_DOCUMENT_BYTES, MAX_IMAGE_BYTES } from '@/features/files/utils/file-types';

/** A readable reason for a refused or failed upload, with the server's own words when it gave some. */
export function useUploadErrorText(): (item: Pick<UploadItem, 'kind'> & { error: UploadError }) => string {
  const { t, i18n } = useTranslation();
  return ({ kind, error }) => {
    switch (error.code) {
      case 'wrong_type':
        return t('files.errors.wrongType');
      case 'empty':
        return t('files.errors.empty');
      case 'too_large': {
        const limit = error.limit ?? (kind === 'document' ? MAX_DOCUMENT_BYTES : kind === 'image' ? MAX_IMAGE_BYTES : null);
        const base = limit
          ? t(kind === 'document' ? 'files.errors.tooLargeDocument' : 'files.errors.tooLargeImage', {
              max: formatSize(limit, i18n.language),
            })
          : t('files.errors.tooLarge');
        return error.message ? `${base}（${error.message}）` : base;
      }
      case 'validation_error':
        return error.message ? t('files.errors.rejectedWith', { reason: error.message }) : t('files.errors.rejected');
      case 'network_error':
        return t('errors.network_error');
      case 'forbidden':
        return t('errors.forbidden');
      case 'conflict':
        return error.message ? t('files.errors.failedWith', { reason: error.message }) : t('errors.conflict');
      case 'unavailable':
        return t('files.errors.unavailable');
      default:
        return error.message ? t('files.errors.failedWith', { reason: error.message }) : t('files.errors.failed');
    }
  };
}
