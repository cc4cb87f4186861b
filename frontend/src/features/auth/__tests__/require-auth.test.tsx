import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { REFRESH_TOKEN_KEY, resetSessionFromStorage } from '@/lib/session';
import { safeReturnTo } from '@/features/auth/hooks/use-return-to';
import { db, issueTokens, makeRoom } from '@/testing/mocks/db';
import { renderApp } from '@/testing/test-utils';

describe('protected routes', () => {
  it('redirects an anonymous visitor to /login with returnTo', async () => {
    const { router } = renderApp('/rooms/abc/members');
    expect(await screen.findByRole('heading', { name: '登入' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
    expect(new URLSearchParams(router.state.location.search).get('returnTo')).toBe('/rooms/abc/members');
  });

  it('sends the user back where they were after logging in', async () => {
    const room = makeRoom({ title: '封裝線 2 缺料' });
    db.rooms.push(room);
    const { router, user } = renderApp(`/rooms/${room.room_id}/members`);
    await user.type(await screen.findByLabelText('帳號'), 'chen.editor');
    await user.type(screen.getByLabelText('密碼'), 'Passw0rd!');
    await user.click(screen.getByRole('button', { name: '登入' }));
    expect(await screen.findByRole('heading', { level: 2, name: '成員' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe(`/rooms/${room.room_id}/members`);
  });

  it('redirects / to /rooms', async () => {
    const { router } = renderApp('/', { authenticated: true });
    expect(await screen.findByRole('heading', { level: 1, name: '事件列表' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/rooms');
  });

  it('survives a reload: the refresh token in sessionStorage restores the session', async () => {
    window.sessionStorage.setItem(REFRESH_TOKEN_KEY, issueTokens().refresh_token);
    resetSessionFromStorage();
    const { router } = renderApp('/rooms');
    expect(await screen.findByRole('heading', { level: 1, name: '事件列表' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/rooms');
    expect(screen.getByText('陳編輯')).toBeInTheDocument();
  });

  it('sends an expired session to /login?returnTo=... with a notice', async () => {
    db.rooms.push(makeRoom());
    const expired = renderApp('/rooms?severity=high', { authenticated: true });
    // Server forgot both tokens: the next call's refresh is refused.
    db.accessTokens.clear();
    db.refreshTokens.clear();
    expect(await screen.findByText('登入已逾時，請重新登入。')).toBeInTheDocument();
    expect(expired.router.state.location.pathname).toBe('/login');
    expect(new URLSearchParams(expired.router.state.location.search).get('returnTo')).toBe('/rooms?severity=high');
  });

  it('accepts only in-app returnTo paths', () => {
    expect(safeReturnTo('/rooms/1/files')).toBe('/rooms/1/files');
    expect(safeReturnTo('//evil.example/x')).toBe('/rooms');
    expect(safeReturnTo('https://evil.example')).toBe('/rooms');
    expect(safeReturnTo('/login?returnTo=/x')).toBe('/rooms');
    expect(safeReturnTo(null)).toBe('/rooms');
  });
});
