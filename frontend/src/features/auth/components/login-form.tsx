import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { isApiError } from '@/lib/api-client';
import { useLogin } from '@/features/auth/api/login';

export const DEFAULT_LOCK_MINUTES = 15;

/** Minutes to show for a 423: `retry_after` seconds (body or Retry-After header), rounded up. */
export function lockMinutes(retryAfterSeconds: number | undefined): number {
  if (retryAfterSeconds === undefined || !Number.isFinite(retryAfterSeconds) || retryAfterSeconds <= 0) {
    return DEFAULT_LOCK_MINUTES;
  }
  return Math.max(1, Math.ceil(retryAfterSeconds / 60));
}

export function loginErrorMessage(error: unknown, t: TFunction): string {
  if (!isApiError(error)) return t('login.errors.generic');
  if (error.isNetworkError) return t('login.errors.network');
  switch (error.code) {
    case 'invalid_credentials':
      return t('login.errors.invalidCredentials');
    case 'account_locked':
      return t('login.errors.accountLocked', { count: lockMinutes(error.retryAfter) });
    case 'directory_unavailable':
      return t('login.errors.directoryUnavailable');
    case 'validation_error':
      return t('login.errors.validation');
    case 'rate_limited':
      return t('login.errors.rateLimited');
  }
  if (error.status === 401) return t('login.errors.invalidCredentials');
  if (error.status === 423) return t('login.errors.accountLocked', { count: lockMinutes(error.retryAfter) });
  if (error.status === 503) return t('login.errors.directoryUnavailable');
  return t('login.errors.generic');
}

type FieldErrors = { username?: string; password?: string };

export function LoginForm({ onSuccess }: { onSuccess: () => void }) {
  const { t } = useTranslation();
  const ids = { username: useId(), password: useId(), hint: useId(), show: useId() };
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const loginMutation = useLogin();

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const errors: FieldErrors = {};
    if (!username.trim()) errors.username = t('login.usernameRequired');
    if (!password) errors.password = t('login.passwordRequired');
    setFieldErrors(errors);
    if (errors.username || errors.password) return;
    loginMutation.mutate({ username: username.trim(), password }, { onSuccess: () => onSuccess() });
  }

  const pending = loginMutation.isPending;

  return (
    <form className="login-form" onSubmit={handleSubmit} noValidate aria-busy={pending}>
      {loginMutation.isError ? (
        <div className="alert alert-error" role="alert">
          {loginErrorMessage(loginMutation.error, t)}
        </div>
      ) : null}

      <div className="field">
        <label htmlFor={ids.username}>{t('login.username')}</label>
        <input
          id={ids.username}
          name="username"
          type="text"
          autoComplete="username"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          value={username}
          onChange={(event) => setUsername(event.target.value)}
          aria-invalid={fieldErrors.username ? true : undefined}
          aria-describedby={fieldErrors.username ? `${ids.username}-error` : ids.hint}
          disabled={pending}
        />
        {fieldErrors.username ? (
          <p id={`${ids.username}-error`} className="field-error">
            {fieldErrors.username}
          </p>
        ) : (
          <p id={ids.hint} className="field-hint">
            {t('login.usernameHint')}
          </p>
        )}
      </div>

      <div className="field">
        <label htmlFor={ids.password}>{t('login.password')}</label>
        <input
          id={ids.password}
          name="password"
          type={showPassword ? 'text' : 'password'}
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          aria-invalid={fieldErrors.password ? true : undefined}
          aria-describedby={fieldErrors.password ? `${ids.password}-error` : undefined}
          disabled={pending}
        />
        {fieldErrors.password ? (
          <p id={`${ids.password}-error`} className="field-error">
            {fieldErrors.password}
          </p>
        ) : null}
      </div>

      <div className="checkbox">
        <input
          id={ids.show}
          type="checkbox"
          checked={showPassword}
          onChange={(event) => setShowPassword(event.target.checked)}
        />
        <label htmlFor={ids.show}>{t('login.showPassword')}</label>
      </div>

      <button type="submit" className="button button-primary button-block" disabled={pending}>
        {pending ? t('login.submitting') : t('login.submit')}
      </button>
    </form>
  );
}
