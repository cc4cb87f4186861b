import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { addMember, addMessages, chatDb, db, makeMessage, makeRoom, users } from '@/testing/mocks/db';
import type { FakeWebSocket } from '@/testing/fake-websocket';
import { openAppSocket, serverSends } from '@/testing/realtime';
import { renderApp } from '@/testing/test-utils';

const CHEN = users['chen.editor']!.user_id;
const WANG = users['wang.owner']!.user_id;

function roomWith(role: 'OWNER' | 'EDITOR' | 'VIEWER', overrides = {}) {
  const room = makeRoom({ title: '回焊爐溫度異常', ...overrides });
  db.rooms.push(room);
  addMember(room, 'wang.owner', 'OWNER', true);
  addMember(room, 'chen.editor', role, true);
  return room;
}

/** Opens the room as chen and completes the subscription (ops need a subscribed room). */
async function openRoom(roomId: string, as = 'chen.editor') {
  const app = renderApp(`/rooms/${roomId}`, { as });
  const socket = await openAppSocket();
  await waitFor(() => expect(socket.sentFrames.some((f) => f.type === 'subscribe')).toBe(true));
  serverSends(socket, { type: 'subscribed', room_id: roomId, online: [CHEN, WANG], last_seq: 0, server_time: '2025-11-17T10:00:00.000Z' });
  await waitFor(() => expect(screen.getByTestId('virtuoso-item-list').style.visibility).not.toBe('hidden'));
  return { ...app, socket };
}

function row(seq: number): HTMLElement {
  const el = document.querySelector<HTMLElement>(`article[data-seq="${seq}"]`);
  if (!el) throw new Error(`no row ${seq}`);
  return el;
}

function framesOf(socket: FakeWebSocket, type: string) {
  return socket.sentFrames.filter((f) => f.type === type);
}

beforeAll(() => {
  // jsdom has no scrolling; the virtual list calls scrollBy when history is prepended
  if (!Element.prototype.scrollBy) Element.prototype.scrollBy = () => undefined;
});

afterEach(() => {
  vi.useRealTimers();
});

describe('reactions', () => {
  it('the picker sends add_reaction; chips follow the frames; tapping the own chip removes it', async () => {
    const room = roomWith('EDITOR');
    const [m1] = addMessages(room.room_id, makeMessage(room.room_id, { content: '溫度 85 度' }));
    const { socket, user } = await openRoom(room.room_id);

    await user.click(within(row(1)).getByRole('button', { name: '新增回應' }));
    const picker = screen.getByRole('group', { name: '選擇回應' });
    const options = within(picker).getAllByRole('button');
    expect(options.map((b) => b.getAttribute('aria-label'))).toEqual(['讚', '愛心', '驚訝', '完成', '注意', '處理中', '感謝']);
    expect(options.every((b) => b.textContent!.trim().length <= 2)).toBe(true); // emoji only, no text
    await user.click(within(picker).getByRole('button', { name: '讚' }));
    expect(framesOf(socket, 'add_reaction')).toEqual([
      expect.objectContaining({ type: 'add_reaction', room_id: room.room_id, message_id: m1!.message_id, emoji: '👍' }),
    ]);
    expect(screen.queryByRole('group', { name: '選擇回應' })).not.toBeInTheDocument();
    // not optimistic: the chip comes with the server's frame (to every subscriber, this tab included)
    expect(within(row(1)).queryByTestId('reaction-chip')).not.toBeInTheDocument();

    serverSends(socket, {
      type: 'reaction_added', room_id: room.room_id, message_id: m1!.message_id, emoji: '👍', user_id: CHEN, count: 1, version: 2, updated_at: 't',
    });
    serverSends(socket, {
      type: 'reaction_added', room_id: room.room_id, message_id: m1!.message_id, emoji: '👍', user_id: WANG, count: 2, version: 3, updated_at: 't',
    });
    const chip = within(row(1)).getByTestId('reaction-chip');
    expect(chip).toHaveAttribute('data-count', '2');
    expect(chip).toHaveAttribute('aria-pressed', 'true');
    expect(chip).toHaveTextContent('👍2');
    // who reacted: the tooltip, and the accessible name
    expect(chip).toHaveAttribute('title', '你、王小明');
    expect(chip).toHaveAccessibleName('👍 2 人：你、王小明');

    await user.click(chip);
    expect(framesOf(socket, 'remove_reaction')).toEqual([
      expect.objectContaining({ room_id: room.room_id, message_id: m1!.message_id, emoji: '👍' }),
    ]);
    serverSends(socket, {
      type: 'reaction_removed', room_id: room.room_id, message_id: m1!.message_id, emoji: '👍', user_id: CHEN, count: 1, version: 4, updated_at: 't',
    });
    expect(within(row(1)).getByTestId('reaction-chip')).toHaveAttribute('data-count', '1');
    expect(within(row(1)).getByTestId('reaction-chip')).toHaveAttribute('aria-pressed', 'false');
    // an older frame arriving late changes nothing
    serverSends(socket, {
      type: 'reaction_added', room_id: room.room_id, message_id: m1!.message_id, emoji: '👍', user_id: CHEN, count: 2, version: 3, updated_at: 't',
    });
    expect(within(row(1)).getByTestId('reaction-chip')).toHaveAttribute('data-count', '1');
  });

  it('the picker works from the keyboard: arrows move, Escape closes and returns focus', async () => {
    const room = roomWith('EDITOR');
    addMessages(room.room_id, makeMessage(room.room_id));
    const { user } = await openRoom(room.room_id);
    const trigger = within(row(1)).getByRole('button', { name: '新增回應' });
    await user.click(trigger);
    expect(screen.getByRole('button', { name: '讚' })).toHaveFocus();
    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('button', { name: '愛心' })).toHaveFocus();
    await user.keyboard('{ArrowDown}');
    expect(screen.getByRole('button', { name: '處理中' })).toHaveFocus();
    await user.keyboard('{End}');
    expect(screen.getByRole('button', { name: '感謝' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('group', { name: '選擇回應' })).not.toBeInTheDocument();
    expect(trigger).toHaveFocus();
  });

  it('a long press on a chip (touch) lists who reacted instead of toggling', async () => {
    const room = roomWith('EDITOR');
    addMessages(room.room_id, makeMessage(room.room_id, { reactions: { '✅': [WANG, CHEN] } }));
    const { socket } = await openRoom(room.room_id);
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const chip = within(row(1)).getByTestId('reaction-chip');
    fireEvent.pointerDown(chip, { pointerType: 'touch' });
    act(() => {
      vi.advanceTimersByTime(600);
    });
    fireEvent.pointerUp(chip, { pointerType: 'touch' });
    fireEvent.click(chip);
    const who = screen.getByTestId('reaction-who');
    expect(within(who).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['王小明', '你']);
    expect(framesOf(socket, 'remove_reaction')).toEqual([]);
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(screen.queryByTestId('reaction-who')).not.toBeInTheDocument();
    // a short tap toggles
    fireEvent.pointerDown(chip, { pointerType: 'touch' });
    fireEvent.pointerUp(chip, { pointerType: 'touch' });
    fireEvent.click(chip);
    expect(framesOf(socket, 'remove_reaction')).toHaveLength(1);
  });

  it('a VIEWER sees the chips but gets no picker, and tapping does nothing', async () => {
    const room = roomWith('VIEWER');
    addMessages(room.room_id, makeMessage(room.room_id, { reactions: { '👍': [WANG] } }));
    const { socket, user } = await openRoom(room.room_id);
    expect(within(row(1)).queryByRole('button', { name: '新增回應' })).not.toBeInTheDocument();
    const chip = within(row(1)).getByTestId('reaction-chip');
    expect(chip).toHaveAttribute('aria-disabled', 'true');
    await user.click(chip);
    expect(framesOf(socket, 'add_reaction')).toEqual([]);
  });
});

describe('edit', () => {
  it('is offered for own text messages only while they are less than 15 minutes old', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    vi.setSystemTime(new Date('2025-11-17T10:00:00.000Z'));
    const room = roomWith('EDITOR');
    addMessages(room.room_id, makeMessage(room.room_id, { sender_id: WANG, created_at: '2025-11-17T09:59:00.000Z' }));
    addMessages(room.room_id, makeMessage(room.room_id, { sender_id: CHEN, created_at: '2025-11-17T09:50:00.000Z' }));
    await openRoom(room.room_id);
    expect(within(row(1)).queryByRole('button', { name: '編輯' })).not.toBeInTheDocument();
    expect(within(row(2)).getByRole('button', { name: '編輯' })).toBeInTheDocument();
    act(() => {
      vi.advanceTimersByTime(4 * 60_000);
    });
    expect(within(row(2)).getByRole('button', { name: '編輯' })).toBeInTheDocument();
    act(() => {
      vi.advanceTimersByTime(60_000 + 100); // 15 min after created_at
    });
    expect(within(row(2)).queryByRole('button', { name: '編輯' })).not.toBeInTheDocument();
    // deleting stays possible
    expect(within(row(2)).getByRole('button', { name: '刪除' })).toBeInTheDocument();
  });

  it('Enter saves (edit_message frame), Esc cancels, the edited marker comes with message_edited', async () => {
    const room = roomWith('EDITOR');
    const [mine] = addMessages(room.room_id, makeMessage(room.room_id, { sender_id: CHEN, content: '溫度 85 度', created_at: new Date().toISOString() }));
    const { socket, user } = await openRoom(room.room_id);

    await user.click(within(row(1)).getByRole('button', { name: '編輯' }));
    let box = within(row(1)).getByRole('textbox', { name: '編輯訊息' });
    expect(box).toHaveValue('溫度 85 度');
    expect(box).toHaveFocus();
    await user.type(box, '（更正）{Escape}');
    expect(within(row(1)).queryByRole('textbox', { name: '編輯訊息' })).not.toBeInTheDocument();
    expect(row(1)).toHaveTextContent('溫度 85 度');
    expect(framesOf(socket, 'edit_message')).toEqual([]);

    await user.click(within(row(1)).getByRole('button', { name: '編輯' }));
    box = within(row(1)).getByRole('textbox', { name: '編輯訊息' });
    await user.clear(box);
    await user.type(box, '溫度 88 度{Shift>}{Enter}{/Shift}已回報{Enter}');
    expect(framesOf(socket, 'edit_message')).toEqual([
      expect.objectContaining({ room_id: room.room_id, message_id: mine!.message_id, content: '溫度 88 度\n已回報' }),
    ]);
    expect(within(row(1)).queryByRole('textbox', { name: '編輯訊息' })).not.toBeInTheDocument();

    serverSends(socket, {
      type: 'message_edited', room_id: room.room_id, message_id: mine!.message_id, content: '溫度 88 度\n已回報',
      edited_at: '2025-11-17T10:05:00.000Z', version: 2, updated_at: '2025-11-17T10:05:00.000Z',
    });
    expect(within(row(1)).getByTestId('message-text')).toHaveTextContent('溫度 88 度 已回報');
    const marker = within(row(1)).getByTestId('edited-marker');
    expect(marker).toHaveTextContent('（已編輯）');
    expect(marker.getAttribute('title')).toMatch(/^編輯於 2025/);
  });

  it('never saves on the Enter that confirms an IME composition', async () => {
    const room = roomWith('EDITOR');
    addMessages(room.room_id, makeMessage(room.room_id, { sender_id: CHEN, content: '溫度', created_at: new Date().toISOString() }));
    const { socket, user } = await openRoom(room.room_id);
    await user.click(within(row(1)).getByRole('button', { name: '編輯' }));
    const box = within(row(1)).getByRole('textbox', { name: '編輯訊息' });
    fireEvent.compositionStart(box);
    fireEvent.change(box, { target: { value: '溫度上升' } });
    fireEvent.keyDown(box, { key: 'Enter', code: 'Enter' });
    fireEvent.compositionEnd(box);
    fireEvent.keyDown(box, { key: 'Enter', code: 'Enter', isComposing: true });
    fireEvent.keyDown(box, { key: 'Enter', code: 'Enter', keyCode: 229 });
    expect(framesOf(socket, 'edit_message')).toEqual([]);
    expect(box).toBeInTheDocument();
    fireEvent.keyDown(box, { key: 'Enter', code: 'Enter' });
    expect(framesOf(socket, 'edit_message')).toEqual([expect.objectContaining({ content: '溫度上升' })]);
  });

  it('a refused edit (error frame naming its client_id) shows why', async () => {
    const room = roomWith('EDITOR');
    addMessages(room.room_id, makeMessage(room.room_id, { sender_id: CHEN, content: '溫度', created_at: new Date().toISOString() }));
    const { socket, user } = await openRoom(room.room_id);
    await user.click(within(row(1)).getByRole('button', { name: '編輯' }));
    await user.type(within(row(1)).getByRole('textbox', { name: '編輯訊息' }), '偏高{Enter}');
    const frame = framesOf(socket, 'edit_message')[0]!;
    serverSends(socket, { type: 'error', code: 'forbidden', message: 'Messages can be edited for 15 minutes', client_id: frame.client_id });
    expect(screen.getByTestId('chat-notice')).toHaveTextContent('無法編輯訊息：沒有權限，或已超過 15 分鐘的編輯期限');
    await user.click(within(screen.getByTestId('chat-notice')).getByRole('button', { name: '關閉' }));
    expect(screen.queryByTestId('chat-notice')).not.toBeInTheDocument();
  });
});

describe('delete', () => {
  it('asks first, sends delete_message, and shows the placeholder from message_deleted', async () => {
    const room = roomWith('EDITOR');
    const [mine] = addMessages(
      room.room_id,
      makeMessage(room.room_id, { sender_id: CHEN, content: '誤傳', reactions: { '👍': [WANG] } }),
    );
    addMessages(room.room_id, makeMessage(room.room_id, { sender_id: WANG }));
    const { socket, user } = await openRoom(room.room_id);
    // an EDITOR deletes only their own messages
    expect(within(row(2)).queryByRole('button', { name: '刪除' })).not.toBeInTheDocument();

    await user.click(within(row(1)).getByRole('button', { name: '刪除' }));
    let dialog = screen.getByRole('alertdialog', { name: '刪除訊息？' });
    expect(within(dialog).getByRole('button', { name: '取消' })).toHaveFocus();
    await user.click(within(dialog).getByRole('button', { name: '取消' }));
    expect(framesOf(socket, 'delete_message')).toEqual([]);

    await user.click(within(row(1)).getByRole('button', { name: '刪除' }));
    dialog = screen.getByRole('alertdialog', { name: '刪除訊息？' });
    await user.click(within(dialog).getByRole('button', { name: '刪除' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(framesOf(socket, 'delete_message')).toEqual([
      expect.objectContaining({ room_id: room.room_id, message_id: mine!.message_id }),
    ]);
    serverSends(socket, {
      type: 'message_deleted', room_id: room.room_id, message_id: mine!.message_id,
      deleted_at: '2025-11-17T10:06:00.000Z', version: 2, updated_at: '2025-11-17T10:06:00.000Z',
    });
    expect(within(row(1)).getByTestId('message-text')).toHaveTextContent('此訊息已刪除');
    expect(row(1)).toHaveAttribute('data-deleted', 'true');
    expect(row(1)).not.toHaveTextContent('誤傳');
    expect(within(row(1)).queryByTestId('reaction-chip')).not.toBeInTheDocument();
    expect(within(row(1)).queryByTestId('message-actions')).not.toBeInTheDocument();
  });

  it('the room OWNER may delete anyone’s message; English placeholder', async () => {
    const room = roomWith('OWNER');
    const [other] = addMessages(room.room_id, makeMessage(room.room_id, { sender_id: WANG, content: 'wrong room' }));
    const { socket, user } = await openRoom(room.room_id);
    await user.click(within(row(1)).getByRole('button', { name: '刪除' }));
    const dialog = screen.getByRole('alertdialog');
    expect(dialog).toHaveTextContent('確定要刪除 王小明 的訊息嗎？');
    await user.click(within(dialog).getByRole('button', { name: '刪除' }));
    expect(framesOf(socket, 'delete_message')).toEqual([expect.objectContaining({ message_id: other!.message_id })]);
    serverSends(socket, { type: 'message_deleted', room_id: room.room_id, message_id: other!.message_id, deleted_at: 't', version: 2, updated_at: 't' });
    const { default: i18n } = await import('@/lib/i18n');
    await act(() => i18n.changeLanguage('en'));
    expect(within(row(1)).getByTestId('message-text')).toHaveTextContent('This message was deleted');
  });

  it('offers nothing to a VIEWER or in an archived room', async () => {
    for (const [role, overrides] of [
      ['VIEWER', {}],
      ['OWNER', { status: 'archived' }],
    ] as const) {
      const room = roomWith(role, overrides);
      addMessages(room.room_id, makeMessage(room.room_id, { sender_id: CHEN, created_at: new Date().toISOString() }));
      const { unmount } = await openRoom(room.room_id);
      expect(within(row(1)).queryByTestId('message-actions')).not.toBeInTheDocument();
      unmount();
    }
  });
});

describe('audit log', () => {
  it('lists edits and deletions with actor names and before / after for the OWNER', async () => {
    const room = roomWith('EDITOR');
    chatDb.audit[room.room_id] = [
      { action: 'edit', message_id: 'm1', actor_id: CHEN, at: '2025-11-17T10:01:00.000Z', before: '溫度 85 度', after: '溫度 88 度' },
      { action: 'delete', message_id: 'm2', actor_id: WANG, at: '2025-11-17T10:02:00.000Z', before: '誤傳', after: null },
    ];
    renderApp(`/rooms/${room.room_id}/audit`, { as: 'wang.owner' });
    const entries = await screen.findAllByTestId('audit-entry');
    expect(entries).toHaveLength(2);
    expect(entries[0]).toHaveTextContent('王小明 刪除了訊息');
    expect(entries[0]).toHaveTextContent('修改前誤傳');
    expect(entries[0]).toHaveTextContent('修改後（無）');
    expect(entries[1]).toHaveTextContent('陳編輯 編輯了訊息');
    expect(entries[1]).toHaveTextContent('修改前溫度 85 度');
    expect(entries[1]).toHaveTextContent('修改後溫度 88 度');
    expect(within(screen.getByRole('navigation', { name: '頁面路徑' })).getByText('稽核紀錄')).toBeInTheDocument();
    expect(within(screen.getByRole('navigation', { name: '事件頁面' })).getByRole('link', { name: '稽核紀錄' })).toBeInTheDocument();
  });

  it('is not offered to an EDITOR / VIEWER, and the page says why', async () => {
    const room = roomWith('VIEWER');
    chatDb.audit[room.room_id] = [{ action: 'delete', message_id: 'm2', actor_id: WANG, at: 't', before: '秘密', after: null }];
    renderApp(`/rooms/${room.room_id}/audit`, { as: 'chen.editor' });
    expect(await screen.findByRole('note')).toHaveTextContent('只有擁有者與系統管理員可以查看稽核紀錄。');
    expect(screen.queryByTestId('audit-entry')).not.toBeInTheDocument();
    expect(screen.queryByText('秘密')).not.toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: '事件頁面' });
    await waitFor(() => expect(within(nav).getByRole('link', { name: '設定' })).toBeInTheDocument());
    expect(within(nav).queryByRole('link', { name: '稽核紀錄' })).not.toBeInTheDocument();
  });
});

describe('incident data chart', () => {
  it('charts a field of the card over time with a field selector', async () => {
    const room = roomWith('EDITOR');
    for (const [temperature, pressure] of [
      [80, 101],
      [85, 103],
      [91, 99],
    ]) {
      addMessages(
        room.room_id,
        makeMessage(room.room_id, { message_type: 'incident_data', content: { temperature, pressure, line: 'L2' } }),
      );
    }
    const { user } = await openRoom(room.room_id);
    const card = within(row(2)).getByTestId('incident-card');
    await user.click(within(card).getByRole('button', { name: '顯示趨勢圖' }));
    const chart = await within(card).findByTestId('incident-chart');
    const points = within(card).getAllByTestId('chart-point');
    expect(points).toHaveLength(3);
    // this message's own reading is marked
    expect(points.map((p) => p.getAttribute('data-current'))).toEqual([null, 'true', null]);
    expect(chart).toHaveAccessibleName('溫度趨勢：3 筆，最低 80 °C，最高 91 °C，最新 91 °C');
    // the y positions follow the values (higher value → smaller y)
    const ys = points.map((p) => Number(p.getAttribute('cy')));
    expect(ys[2]!).toBeLessThan(ys[1]!);
    expect(ys[1]!).toBeLessThan(ys[0]!);
    // only numeric fields are offered
    const select = within(card).getByRole('combobox', { name: '欄位' });
    expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['溫度', '壓力']);
    await user.selectOptions(select, 'pressure');
    await waitFor(() => expect(within(card).getByTestId('incident-chart')).toHaveAccessibleName(/^壓力趨勢：3 筆，最低 99 kPa/));
  });
});

describe('message search', () => {
  it('highlights the matches, shows the room title, and a result opens the room at the message', async () => {
    const room = roomWith('EDITOR');
    const other = makeRoom({ title: '包裝線缺料' });
    db.rooms.push(other); // chen is not a member: never searched
    addMember(other, 'wang.owner', 'OWNER');
    addMessages(room.room_id, makeMessage(room.room_id, { content: '設備溫度上升到85度，溫度持續' }));
    for (let i = 0; i < 30; i += 1) addMessages(room.room_id, makeMessage(room.room_id, { content: `閒聊 ${i}` }));
    addMessages(other.room_id, makeMessage(other.room_id, { content: '溫度正常' }));
    const { user, router } = renderApp('/rooms', { as: 'chen.editor' });
    await user.click(await screen.findByRole('link', { name: '搜尋' }));
    expect(await screen.findByRole('heading', { level: 1, name: '搜尋訊息' })).toBeInTheDocument();
    await user.type(screen.getByLabelText('關鍵字'), '溫度');
    await user.click(screen.getByRole('button', { name: '搜尋' }));
    const results = await screen.findAllByTestId('search-result');
    expect(results).toHaveLength(1);
    expect(results[0]).toHaveTextContent('回焊爐溫度異常');
    expect([...results[0]!.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['溫度', '溫度']);
    expect(router.state.location.search).toBe('?q=%E6%BA%AB%E5%BA%A6');

    await user.click(within(results[0]!).getByRole('link'));
    await waitFor(() => expect(router.state.location.pathname).toBe(`/rooms/${room.room_id}`));
    expect(router.state.location.search).toBe('?focus=1');
    // seq 1 is older than the first page of 50? not here, but it is still found and highlighted
    await waitFor(() => expect(document.querySelector('article[data-seq="1"]')).toHaveAttribute('data-focused', 'true'));
  });

  it('loads more with next_cursor and filters by room', async () => {
    const room = roomWith('EDITOR');
    const second = roomWith('EDITOR', { title: '第二個事件' });
    for (let i = 0; i < 25; i += 1) addMessages(room.room_id, makeMessage(room.room_id, { content: `停機 ${i}` }));
    addMessages(second.room_id, makeMessage(second.room_id, { content: '停機檢查' }));
    const { user } = renderApp('/search?q=停機', { as: 'chen.editor' });
    expect(await screen.findAllByTestId('search-result')).toHaveLength(20);
    await user.click(screen.getByRole('button', { name: '載入更多' }));
    await waitFor(() => expect(screen.getAllByTestId('search-result')).toHaveLength(26));
    expect(screen.queryByRole('button', { name: '載入更多' })).not.toBeInTheDocument();
    const select = screen.getByLabelText('事件');
    await waitFor(() => expect(within(select).getByRole('option', { name: '第二個事件' })).toBeInTheDocument());
    await user.selectOptions(select, second.room_id);
    await user.click(screen.getByRole('button', { name: '搜尋' }));
    await waitFor(() => expect(screen.getAllByTestId('search-result')).toHaveLength(1));
    expect(screen.getByTestId('search-result')).toHaveTextContent('停機檢查');
  });

  it('jumps to a message older than the loaded page by loading history up to it', async () => {
    const room = roomWith('EDITOR');
    for (let i = 1; i <= 120; i += 1) addMessages(room.room_id, makeMessage(room.room_id, { content: `訊息 ${i}` }));
    renderApp(`/rooms/${room.room_id}?focus=5`, { as: 'chen.editor' });
    await waitFor(() => expect(document.querySelector('article[data-seq="5"]')).toHaveAttribute('data-focused', 'true'), {
      timeout: 3000,
    });
  });
});
