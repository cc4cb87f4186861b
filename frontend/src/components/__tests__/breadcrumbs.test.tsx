import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import i18n from '@/lib/i18n';
import { db, makeRoom } from '@/testing/mocks/db';
import { renderApp } from '@/testing/test-utils';

describe('breadcrumbs', () => {
  it('shows 事件列表 / <room title> / 成員 with links to the parents', async () => {
    const room = makeRoom({ title: 'Line 3 溫度異常' });
    db.rooms.push(room);
    renderApp(`/rooms/${room.room_id}/members`, { authenticated: true });

    const nav = await screen.findByRole('navigation', { name: '頁面路徑' });
    await within(nav).findByRole('link', { name: 'Line 3 溫度異常' });
    const items = within(nav).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual(['事件列表', 'Line 3 溫度異常', '成員']);
    expect(within(nav).getByRole('link', { name: '事件列表' })).toHaveAttribute('href', '/rooms');
    expect(within(nav).getByRole('link', { name: 'Line 3 溫度異常' })).toHaveAttribute('href', `/rooms/${room.room_id}`);
    expect(within(nav).getByText('成員')).toHaveAttribute('aria-current', 'page');
  });

  it('ends with the room on the room page', async () => {
    const room = makeRoom({ title: '封裝線 缺料' });
    db.rooms.push(room);
    renderApp(`/rooms/${room.room_id}`, { authenticated: true });
    const nav = await screen.findByRole('navigation', { name: '頁面路徑' });
    expect(await within(nav).findByText('封裝線 缺料')).toHaveAttribute('aria-current', 'page');
    expect(await screen.findByRole('heading', { level: 1, name: '封裝線 缺料' })).toBeInTheDocument();
  });

  it('is translated', async () => {
    await i18n.changeLanguage('en');
    const room = makeRoom({ title: 'Oven alarm' });
    db.rooms.push(room);
    renderApp(`/rooms/${room.room_id}/settings`, { authenticated: true });
    const nav = await screen.findByRole('navigation', { name: 'Breadcrumb' });
    await within(nav).findByRole('link', { name: 'Oven alarm' });
    expect(within(nav).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Incidents',
      'Oven alarm',
      'Settings',
    ]);
  });

  it('is not shown on the room list itself', async () => {
    renderApp('/rooms', { authenticated: true });
    await screen.findByRole('heading', { level: 1, name: '事件列表' });
    expect(screen.queryByRole('navigation', { name: '頁面路徑' })).not.toBeInTheDocument();
  });
});
