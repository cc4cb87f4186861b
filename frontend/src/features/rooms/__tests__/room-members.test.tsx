import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import i18n from '@/lib/i18n';
import type { RoomRole } from '@/lib/roles';
import type { Room } from '@/features/rooms/types';
import { addMember, db, makeRoom } from '@/testing/mocks/db';
import { server } from '@/testing/mocks/server';
import { renderApp } from '@/testing/test-utils';

/** A room where chen.editor (the logged-in test user) has `role`; wang.owner owns non-owned ones. */
function roomWith(role: RoomRole): Room {
  const room = makeRoom({ title: 'Line 3 溫度異常' });
  db.rooms.push(room);
  if (role !== 'OWNER') addMember(room, 'wang.owner', 'OWNER', true);
  addMember(room, 'chen.editor', role, true);
  addMember(room, 'lee.viewer', 'VIEWER');
  return room;
}

function recordUserSearches(): string[] {
  const seen: string[] = [];
  server.events.on('request:start', ({ request }) => {
    const url = new URL(request.url);
    if (url.pathname === '/api/users') seen.push(url.searchParams.get('q') ?? '');
  });
  return seen;
}

async function openMembers(room: Room, as?: string) {
  const utils = renderApp(`/rooms/${room.room_id}/members`, as ? { as } : { authenticated: true });
  const list = await screen.findByRole('list', { name: '成員列表' });
  return { ...utils, list };
}

function itemOf(list: HTMLElement, name: string): HTMLElement {
  return within(list).getByText(name).closest('li')!;
}

describe('members page', () => {
  it('lists members with names, roles and online state (owner first)', async () => {
    const room = roomWith('VIEWER');
    const { list } = await openMembers(room);
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(3);
    expect(items[0]).toHaveTextContent('王小明');
    expect(within(items[0]!).getByText('擁有者')).toBeInTheDocument();
    expect(items[0]).toHaveTextContent('在線上 · Manufacturing 1');
    expect(items[0]!.querySelector('.presence-online')).not.toBeNull();
    expect(itemOf(list, '李檢視')).toHaveTextContent('離線');
    expect(itemOf(list, '陳編輯')).toHaveTextContent('（你）');
    expect(screen.getByText('共 3 位成員，2 位在線上')).toBeInTheDocument();
  });

  it('VIEWER sees no management controls, only "leave" for themselves', async () => {
    const room = roomWith('VIEWER');
    const { list } = await openMembers(room);
    expect(within(list).queryAllByRole('combobox')).toHaveLength(0);
    expect(screen.queryByRole('button', { name: /^移除/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: '新增成員' })).not.toBeInTheDocument();
    expect(within(itemOf(list, '陳編輯')).getByRole('button', { name: '離開事件' })).toBeInTheDocument();
    expect(within(itemOf(list, '王小明')).queryByRole('button')).toBeNull();
  });

  it('EDITOR sees no management controls either', async () => {
    const room = roomWith('EDITOR');
    const { list } = await openMembers(room);
    expect(within(list).queryAllByRole('combobox')).toHaveLength(0);
    expect(screen.queryByRole('searchbox', { name: '搜尋使用者' })).not.toBeInTheDocument();
  });

  it('OWNER sees role selects, remove buttons (not for self) and the add form', async () => {
    const room = roomWith('OWNER');
    const { list } = await openMembers(room);
    expect(within(list).getByRole('combobox', { name: '李檢視 的角色' })).toHaveValue('VIEWER');
    expect(within(list).getByRole('combobox', { name: '陳編輯 的角色' })).toHaveValue('OWNER');
    expect(within(list).getByRole('button', { name: '移除 李檢視' })).toBeInTheDocument();
    expect(within(itemOf(list, '陳編輯')).queryByRole('button', { name: /^移除/ })).toBeNull();
    expect(screen.getByRole('heading', { name: '新增成員' })).toBeInTheDocument();
  });

  it('administrators act as OWNER (my_role OWNER from the server)', async () => {
    const room = makeRoom();
    db.rooms.push(room);
    addMember(room, 'wang.owner', 'OWNER');
    renderApp(`/rooms/${room.room_id}/members`, { as: 'lin.admin' });
    expect(await screen.findByRole('combobox', { name: '王小明 的角色' })).toBeInTheDocument();
  });

  it('adds a member found with a debounced user search', async () => {
    const room = roomWith('OWNER');
    const searches = recordUserSearches();
    const { user } = await openMembers(room);

    await user.type(screen.getByRole('searchbox', { name: '搜尋使用者' }), '王');
    const results = await screen.findByRole('list', { name: '搜尋結果' });
    expect(searches).toEqual(['王']);
    const wang = within(results).getByRole('button', { name: /王小明/ });
    expect(wang).toHaveAttribute('aria-pressed', 'false');
    await user.click(wang);
    expect(wang).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByText('已選擇：王小明')).toBeInTheDocument();

    await user.selectOptions(screen.getByRole('combobox', { name: '角色' }), 'EDITOR');
    await user.click(screen.getByRole('button', { name: '加入成員' }));

    expect(await screen.findByText('已加入 王小明。')).toBeInTheDocument();
    const list = screen.getByRole('list', { name: '成員列表' });
    await waitFor(() => expect(within(list).getByRole('combobox', { name: '王小明 的角色' })).toHaveValue('EDITOR'));
    expect(db.members[room.room_id]!.find((m) => m.user_id === 'wang.owner@plant.test')?.role).toBe('EDITOR');
  });

  it('debounces: fast typing sends one search for the final text', async () => {
    const room = roomWith('OWNER');
    const searches = recordUserSearches();
    const { user } = await openMembers(room);
    await user.type(screen.getByRole('searchbox', { name: '搜尋使用者' }), 'wang');
    await screen.findByRole('list', { name: '搜尋結果' });
    expect(searches).toEqual(['wang']);
  });

  it('marks users who are already members and asks to pick a user first', async () => {
    const room = roomWith('OWNER');
    const { user } = await openMembers(room);
    await user.click(screen.getByRole('button', { name: '加入成員' }));
    expect(screen.getByRole('alert')).toHaveTextContent('請先從搜尋結果選擇一位使用者');

    await user.type(screen.getByRole('searchbox', { name: '搜尋使用者' }), 'lee');
    const results = await screen.findByRole('list', { name: '搜尋結果' });
    expect(within(results).getByRole('button', { name: /李檢視/ })).toBeDisabled();
    expect(within(results).getByRole('button', { name: /已是成員/ })).toBeInTheDocument();
  });

  it('changes a role', async () => {
    const room = roomWith('OWNER');
    const { user, list } = await openMembers(room);
    await user.selectOptions(within(list).getByRole('combobox', { name: '李檢視 的角色' }), 'EDITOR');
    await waitFor(() =>
      expect(db.members[room.room_id]!.find((m) => m.user_id === 'lee.viewer@plant.test')?.role).toBe('EDITOR'),
    );
    expect(within(list).getByRole('combobox', { name: '李檢視 的角色' })).toHaveValue('EDITOR');
  });

  it('shows the last-owner message when the only OWNER demotes themselves (409)', async () => {
    const room = roomWith('OWNER');
    const { user, list } = await openMembers(room);
    await user.selectOptions(within(list).getByRole('combobox', { name: '陳編輯 的角色' }), 'EDITOR');
    expect(await screen.findByRole('alert')).toHaveTextContent('房間至少需要一位擁有者，請先將其他成員升為擁有者。');
    // the select shows the real role again
    await waitFor(() => expect(within(list).getByRole('combobox', { name: '陳編輯 的角色' })).toHaveValue('OWNER'));
  });

  it('shows the last-owner message when the only OWNER tries to leave (409)', async () => {
    const room = roomWith('OWNER');
    const { user, list, router } = await openMembers(room);
    await user.click(within(itemOf(list, '陳編輯')).getByRole('button', { name: '離開事件' }));
    await user.click(within(screen.getByRole('alertdialog', { name: '離開事件' })).getByRole('button', { name: '離開事件' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('房間至少需要一位擁有者');
    expect(router.state.location.pathname).toBe(`/rooms/${room.room_id}/members`);
  });

  it('removes a member after confirming', async () => {
    const room = roomWith('OWNER');
    const { user, list } = await openMembers(room);
    await user.click(within(list).getByRole('button', { name: '移除 李檢視' }));
    const confirm = screen.getByRole('alertdialog', { name: '移除成員' });
    expect(confirm).toHaveTextContent('確定要將 李檢視 從此事件移除嗎？');
    await user.click(within(confirm).getByRole('button', { name: '移除' }));
    await waitFor(() => expect(within(list).queryByText('李檢視')).not.toBeInTheDocument());
    expect(db.members[room.room_id]!.map((m) => m.user_id)).not.toContain('lee.viewer@plant.test');
  });

  it('a member leaves the room and lands on the room list', async () => {
    const room = roomWith('EDITOR');
    const { user, list, router } = await openMembers(room);
    await user.click(within(itemOf(list, '陳編輯')).getByRole('button', { name: '離開事件' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: '離開事件' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/rooms'));
    expect(db.members[room.room_id]!.map((m) => m.user_id)).not.toContain('chen.editor@plant.test');
  });

  it('shows "already a member" for a 409 on add', async () => {
    const room = roomWith('OWNER');
    const { user } = await openMembers(room);
    await user.type(screen.getByRole('searchbox', { name: '搜尋使用者' }), '王');
    await user.click(within(await screen.findByRole('list', { name: '搜尋結果' })).getByRole('button', { name: /王小明/ }));
    addMember(room, 'wang.owner', 'VIEWER'); // someone else added him meanwhile
    await user.click(screen.getByRole('button', { name: '加入成員' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('此使用者已經是成員。');
  });

  it('works in English', async () => {
    await i18n.changeLanguage('en');
    const room = roomWith('OWNER');
    renderApp(`/rooms/${room.room_id}/members`, { authenticated: true });
    const list = await screen.findByRole('list', { name: 'Members' });
    expect(within(list).getByRole('combobox', { name: 'Role of 李檢視' })).toBeInTheDocument();
    expect(screen.getByText('2 members, 1 online')).toBeInTheDocument();
  });
});
