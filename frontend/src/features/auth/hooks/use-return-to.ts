import { useSearchParams } from 'react-router';

export const DEFAULT_AFTER_LOGIN = '/rooms';

/** Only same-app paths are accepted, so `returnTo` cannot send the user to another site. */
export function safeReturnTo(value: string | null | undefined): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) {
    return DEFAULT_AFTER_LOGIN;
  }
  if (value === '/login' || value.startsWith('/login?') || value.startsWith('/login/')) return DEFAULT_AFTER_LOGIN;
  return value;
}

export function useReturnTo(): string {
  const [params] = useSearchParams();
  return safeReturnTo(params.get('returnTo'));
}

export function loginPathFor(location: { pathname: string; search: string; hash: string }): string {
  const target = `${location.pathname}${location.search}${location.hash}`;
  return target && target !== '/' ? `/login?returnTo=${encodeURIComponent(target)}` : '/login';
}
