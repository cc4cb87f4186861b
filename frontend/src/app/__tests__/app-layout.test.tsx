import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { getAccessToken, getSessionState, REFRESH_TOKEN_KEY } from '@/lib/session';
import { addMember, db, makeRoom } from '@/testing/mocks/db';
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

  it('in a room the bar leads back to the list; the chat page is marked for the phone layout', async () => {
    const room = makeRoom({ title: '輸送帶停止' });
    db.rooms.push(room);
    addMember(room, 'chen.editor', 'EDITOR', true);
    const { router } = renderApp(`/rooms/${room.room_id}`, { authenticated: true });
    await screen.findByRole('heading', { level: 1, name: '輸送帶停止' });
    const shell = document.querySelector('.app-shell')!;
    const brand = document.querySelector<HTMLAnchorElement>('.app-header .brand')!;
    expect(shell).toHaveAttribute('data-layout', 'chat');
    expect(brand).toHaveAttribute('href', '/rooms');
    expect(brand).toHaveAttribute('data-back', 'true');
    expect(brand.querySelector('.brand-back')).toHaveTextContent('事件列表');

    // the room's other pages scroll as usual
    await router.navigate(`/rooms/${room.room_id}/members`);
    await screen.findByRole('list', { name: '成員列表' });
    expect(shell).not.toHaveAttribute('data-layout');
    expect(brand).toHaveAttribute('data-back', 'true');

    await router.navigate('/rooms');
    await screen.findByRole('heading', { level: 1, name: '事件列表' });
    expect(shell).not.toHaveAttribute('data-layout');
    expect(brand).not.toHaveAttribute('data-back');
    expect(brand.querySelector('.brand-back')).toBeNull();
  });
});
