import type { TFunction } from 'i18next';
import { isApiError } from '@/lib/api-client';

/** Errors by field path (`name`, `steps.0.after_minutes`, `shifts.1.start`); `form` for the rest. */
export type FieldErrors = Record<string, string>;

/** The DOM id of a field path inside a form whose ids start with `prefix`. */
export function fieldId(prefix: string, path: string): string {
  return `${prefix}-${path.replace(/\./g, '-')}`;
}

/**
 * A 400's `details` (`[{field, message}]`, pydantic paths such as
 * `steps.0.notify.users`) mapped to the most specific of `paths` each one falls under;
 * details under none of them are collected in `form`.
 */
export function serverFieldErrors(error: unknown, paths: readonly string[], t: TFunction): FieldErrors {
  if (!isApiError(error) || error.status !== 400 || !Array.isArray(error.details)) return {};
  const known = new Set(paths);
  const out: FieldErrors = {};
  for (const item of error.details) {
    if (!item || typeof item !== 'object') continue;
    const { field, message } = item as { field?: unknown; message?: unknown };
    if (typeof field !== 'string') continue;
    const segments = field.replace(/^body\./, '').split('.');
    let path = 'form';
    for (let n = segments.length; n > 0; n -= 1) {
      const candidate = segments.slice(0, n).join('.');
      if (known.has(candidate)) {
        path = candidate;
        break;
      }
    }
    const text = typeof message === 'string' && message ? t('form.invalidWithReason', { reason: message }) : t('form.invalid');
    out[path] = out[path] ? `${out[path]} ${text}` : text;
  }
  return out;
}

/** Moves focus to the first invalid control in `root` (or brings the first error message into view). */
export function focusFirstError(root: HTMLElement | null): void {
  if (!root) return;
  const control = root.querySelector<HTMLElement>('[aria-invalid="true"]');
  if (control) {
    control.focus();
    return;
  }
  root.querySelector<HTMLElement>('.field-error')?.scrollIntoView?.({ block: 'center' });
}
