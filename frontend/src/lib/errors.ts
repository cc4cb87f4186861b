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

/**
 * Per-field messages from a `validation_error`'s `details`. The backend sends a list of
 * `{"field", "message"}`; an object `{field: message}` is accepted too. Nested field paths
 * (`body.title`, `title.0`) are reduced to their first known segment by the caller's list.
 */
export function validationDetails(error: unknown, fields?: readonly string[]): Record<string, string> {
  if (!isApiError(error) || error.status !== 400) return {};
  const out: Record<string, string> = {};
  const put = (field: unknown, message: unknown) => {
    if (typeof field !== 'string' || !field) return;
    const name = fields ? (field.split('.').find((part) => fields.includes(part)) ?? null) : field;
    if (!name || name in out) return;
    out[name] = typeof message === 'string' ? message : '';
  };
  const { details } = error;
  if (Array.isArray(details)) {
    for (const item of details) {
      if (item && typeof item === 'object') {
        const entry = item as Record<string, unknown>;
        put(entry.field ?? entry.loc, entry.message ?? entry.msg);
      }
    }
  } else if (details && typeof details === 'object') {
    for (const [field, message] of Object.entries(details)) put(field, message);
  }
  return out;
}
