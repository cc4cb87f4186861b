import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { getAccessToken, getSessionState, REFRESH_TOKEN_KEY } from '@/lib/session';
import { db } from '@/testing/mocks/db';
import { renderApp } from '@/testing/test-utils';

describe('app header', () => {
  it('shows the signed-in user and a labelled language switch', async () => {
    renderApp('/rooms', { authenticated: true });
    expect(await screen.findByText('陳編輯')).toBeInTheDocument();
    expect(screen.getByText('目前登入：陳編輯')).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: '語言' })).toBeInTheDocument();
  });

  it('logs out: revokes on the server, clears tokens, lands on plain /login', async () => {
    const { user, router } = renderApp('/rooms', { authenticated: true });
    await user.click(await screen.findByRole('button', { name: '登出' }));

    expect(await screen.findByRole('heading', { name: '登入' })).toBeInTheDocument();
    expect(db.logoutCalls).toBe(1);
    expect(router.state.location.pathname).toBe('/login');
    expect(router.state.location.search).toBe('');
    expect(getAccessToken()).toBeNull();
    expect(window.sessionStorage.getItem(REFRESH_TOKEN_KEY)).toBeNull();
    expect(getSessionState()).toMatchObject({ status: 'anonymous', endReason: 'logout' });
    expect(screen.queryByText('登入已逾時，請重新登入。')).not.toBeInTheDocument();
  });

  it('shows a not-found page for unknown paths', async () => {
    renderApp('/nowhere', { authenticated: true });
    expect(await screen.findByRole('heading', { name: '找不到頁面' })).toBeInTheDocument();
  });
});
