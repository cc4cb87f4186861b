import type { TFunction } from 'i18next';
import { isApiError } from '@/lib/api-client';

const KNOWN = new Set([
  'network_error',
  'validation_error',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'too_large',
  'rate_limited',
  'unavailable',
  'directory_unavailable',
]);

/** A readable, localized message for any error thrown by the API client. */
export function errorMessage(error: unknown, t: TFunction): string {
  if (isApiError(error)) {
    if (KNOWN.has(error.code)) return t(`errors.${error.code}`);
    if (error.status >= 500) return t('errors.server');
    if (error.message) return error.message;
  }
  return t('errors.generic');
}
