import { screen, waitFor, within } from '@testing-library/react';
import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import i18n from '@/lib/i18n';
import type { RoomRole } from '@/lib/roles';
import type { Room } from '@/features/rooms/types';
import { addMember, db, makeRoom } from '@/testing/mocks/db';
import { apiError } from '@/testing/mocks/handlers';
import { server } from '@/testing/mocks/server';
import { renderApp } from '@/testing/test-utils';

/** A room where chen.editor (the logged-in test user) has `role`. */
function roomWith(role: RoomRole, overrides: Partial<Room> = {}): Room {
  const room = makeRoom({ title: 'Line 3 溫度異常', severity: 'high', location: 'A 廠', ...overrides });
  db.rooms.push(room);
  if (role !== 'OWNER') addMember(room, 'wang.owner', 'OWNER');
  addMember(room, 'chen.editor', role);
  return room;
}

/** Records JSON bodies of PATCH /api/rooms/:id. */
function recordPatches(): Array<Record<string, unknown>> {
  const bodies: Array<Record<string, unknown>> = [];
  server.events.on('request:start', async ({ request }) => {
    if (request.method === 'PATCH' && /\/api\/rooms\/[^/]+$/.test(new URL(request.url).pathname)) {
      bodies.push((await request.clone().json()) as Record<string, unknown>);
    }
  });
  return bodies;
}

async function openSettings(room: Room) {
  const utils = renderApp(`/rooms/${room.room_id}/settings`, { authenticated: true });
  await screen.findByRole('heading', { level: 2, name: '設定' });
  await screen.findByText('事件資料');
  return utils;
}

describe('room settings', () => {
  it('OWNER edits title, type, severity, location and description; only changes are sent', async () => {
    const room = roomWith('OWNER');
    const patches = recordPatches();
    const { user } = await openSettings(room);

    const title = screen.getByLabelText('標題');
    expect(title).toHaveValue('Line 3 溫度異常');
    expect(screen.getByLabelText('類型')).toBeEnabled();
    expect(screen.getByLabelText('地點')).toHaveValue('A 廠');
    expect(screen.getByLabelText('描述')).toBeInTheDocument();

    await user.clear(title);
    await user.type(title, 'Line 3 回焊爐溫度異常');
    await user.selectOptions(screen.getByLabelText('嚴重度'), 'critical');
    await user.click(screen.getByRole('button', { name: '儲存變更' }));

    expect(await screen.findByText('已儲存。')).toBeInTheDocument();
    expect(patches).toEqual([{ title: 'Line 3 回焊爐溫度異常', severity: 'critical' }]);
    // header follows
    expect(await screen.findByRole('heading', { level: 1, name: 'Line 3 回焊爐溫度異常' })).toBeInTheDocument();
    expect(screen.getAllByText('嚴重度：緊急')[0]).toHaveClass('severity-critical');
  });

  it('OWNER: an empty title is refused before sending', async () => {
    const room = roomWith('OWNER');
    const patches = recordPatches();
    const { user } = await openSettings(room);
    await user.clear(screen.getByLabelText('標題'));
    await user.click(screen.getByRole('button', { name: '儲存變更' }));
    expect(screen.getByLabelText('標題')).toHaveAccessibleDescription('請輸入標題');
    expect(patches).toHaveLength(0);
  });

  it('OWNER sees resolve, archive; EDITOR sees only severity and status; VIEWER reads only', async () => {
    const owned = roomWith('OWNER');
    const { unmount } = await openSettings(owned);
    expect(screen.getByRole('button', { name: '標記為已解決' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '封存事件' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '儲存變更' })).toBeInTheDocument();
    unmount();

    const edited = roomWith('EDITOR', { title: 'Editor room' });
    const editor = renderApp(`/rooms/${edited.room_id}/settings`, { authenticated: true });
    expect(await screen.findByText('您在此事件是編輯者，可以變更嚴重度與事件狀態。')).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: '嚴重度' })).toBeEnabled();
    expect(screen.getByRole('button', { name: '更新嚴重度' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '標記為已解決' })).toBeInTheDocument();
    expect(screen.queryByRole('textbox', { name: '標題' })).not.toBeInTheDocument();
    expect(screen.queryByRole('combobox', { name: '類型' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '儲存變更' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '封存事件' })).not.toBeInTheDocument();
    editor.unmount();

    const viewed = roomWith('VIEWER', { title: 'Viewer room' });
    renderApp(`/rooms/${viewed.room_id}/settings`, { authenticated: true });
    expect(await screen.findByText('您在此事件是檢視者，只能檢視設定。')).toBeInTheDocument();
    const section = screen.getByRole('region', { name: '設定' });
    expect(within(section).queryAllByRole('button')).toHaveLength(0);
    expect(within(section).queryAllByRole('combobox')).toHaveLength(0);
    expect(within(section).queryAllByRole('textbox')).toHaveLength(0);
    expect(within(section).getByText('Viewer room')).toBeInTheDocument();
    expect(within(section).getByText('嚴重度：高')).toBeInTheDocument();
  });

  it('EDITOR changes the severity with a PATCH of severity only', async () => {
    const room = roomWith('EDITOR');
    const patches = recordPatches();
    const { user } = renderApp(`/rooms/${room.room_id}/settings`, { authenticated: true });
    await user.selectOptions(await screen.findByRole('combobox', { name: '嚴重度' }), 'low');
    await user.click(screen.getByRole('button', { name: '更新嚴重度' }));
    expect(await screen.findByText('已儲存。')).toBeInTheDocument();
    expect(patches).toEqual([{ severity: 'low' }]);
  });

  it('resolving requires a resolution note', async () => {
    const room = roomWith('EDITOR');
    const patches = recordPatches();
    const { user } = renderApp(`/rooms/${room.room_id}/settings`, { authenticated: true });
    await user.click(await screen.findByRole('button', { name: '標記為已解決' }));

    const note = screen.getByLabelText(/處理結果說明/);
    expect(note).toHaveAttribute('aria-invalid', 'true');
    expect(note).toHaveAccessibleDescription('請填寫處理結果說明後再標記為已解決');
    expect(note).toHaveFocus();
    expect(patches).toHaveLength(0);

    await user.type(note, '更換熱電偶後溫度恢復正常');
    await user.click(screen.getByRole('button', { name: '標記為已解決' }));
    expect(await screen.findByRole('button', { name: '重新開啟事件' })).toBeInTheDocument();
    expect(patches).toEqual([{ status: 'resolved', resolution_note: '更換熱電偶後溫度恢復正常' }]);
    expect(screen.getAllByText('已解決').length).toBeGreaterThan(0);
    expect(screen.getAllByText('更換熱電偶後溫度恢復正常').length).toBeGreaterThan(0);
  });

  it("shows the server's 400 for a missing note on the field", async () => {
    const room = roomWith('OWNER');
    server.use(
      http.patch('*/api/rooms/:roomId', () =>
        apiError(400, 'validation_error', 'Resolving needs a resolution note', {
          details: [{ field: 'resolution_note', message: 'field required' }],
        }),
      ),
    );
    const { user } = await openSettings(room);
    await user.type(screen.getByLabelText(/處理結果說明/), '   x');
    await user.click(screen.getByRole('button', { name: '標記為已解決' }));
    await waitFor(() =>
      expect(screen.getByLabelText(/處理結果說明/)).toHaveAccessibleDescription('請填寫處理結果說明後再標記為已解決'),
    );
  });

  it('reopens a resolved room', async () => {
    const room = roomWith('OWNER', { status: 'resolved', resolution_note: '已處理', resolved_at: '2025-11-17T11:00:00.000Z' });
    const patches = recordPatches();
    const { user } = await openSettings(room);
    await user.click(screen.getByRole('button', { name: '重新開啟事件' }));
    expect(await screen.findByRole('button', { name: '標記為已解決' })).toBeInTheDocument();
    expect(patches).toEqual([{ status: 'active' }]);
  });

  it('archives only after confirming, then shows the room read-only', async () => {
    const room = roomWith('OWNER');
    const patches = recordPatches();
    const { user } = await openSettings(room);

    await user.click(screen.getByRole('button', { name: '封存事件' }));
    const confirm = screen.getByRole('alertdialog', { name: '確定要封存這個事件嗎？' });
    expect(within(confirm).getByRole('button', { name: '取消' })).toHaveFocus();
    await user.click(within(confirm).getByRole('button', { name: '取消' }));
    expect(patches).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: '封存事件' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: '確定封存' }));
    expect(await screen.findByText('此事件已封存，內容僅供檢視，無法再變更。')).toBeInTheDocument();
    expect(patches).toEqual([{ status: 'archived' }]);
    expect(screen.queryByRole('button', { name: '儲存變更' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '封存事件' })).not.toBeInTheDocument();
  });

  it('explains a 409 (the room was archived meanwhile) and shows the current state', async () => {
    const room = roomWith('OWNER');
    const { user } = await openSettings(room);
    room.status = 'archived'; // someone else archived it
    await user.type(screen.getByLabelText(/處理結果說明/), 'done');
    await user.click(screen.getByRole('button', { name: '標記為已解決' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('此事件目前的狀態不允許這項變更');
    expect(await screen.findByText('此事件已封存，內容僅供檢視，無法再變更。')).toBeInTheDocument();
  });

  it('shows a 403 clearly', async () => {
    const room = roomWith('OWNER');
    server.use(http.patch('*/api/rooms/:roomId', () => apiError(403, 'forbidden', 'nope')));
    const { user } = await openSettings(room);
    await user.selectOptions(screen.getByLabelText('嚴重度'), 'low');
    await user.click(screen.getByRole('button', { name: '儲存變更' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('您在此事件的角色不能執行這項變更。');
  });

  it('works in English', async () => {
    await i18n.changeLanguage('en');
    const room = roomWith('VIEWER');
    renderApp(`/rooms/${room.room_id}/settings`, { authenticated: true });
    expect(
      await screen.findByText('You are a viewer in this incident and can only read its settings.'),
    ).toBeInTheDocument();
  });
});

describe('resolving a room whose event code defines root causes', () => {
  function withCatalog() {
    server.use(
      http.get('*/api/event-codes', () =>
        Response.json({
          event_codes: [
            {
              code: 'E-OVERTEMP',
              name: '爐溫過高',
              root_causes: [
                { code: 'RC-RELAY', name: '加熱繼電器故障' },
                { code: 'RC-OLD', name: '舊原因', retired: true },
              ],
            },
          ],
        }),
      ),
    );
  }

  it('needs a root cause or a false alarm, and sends the closure with the note', async () => {
    withCatalog();
    const room = roomWith('OWNER', { event_code: 'E-OVERTEMP' });
    const patches = recordPatches();
    const { user } = await openSettings(room);
    await user.type(await screen.findByLabelText(/處理結果說明/), '更換繼電器');
    const cause = await screen.findByLabelText(/根本原因/);
    expect(within(cause).queryByRole('option', { name: /舊原因/ })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '標記為已解決' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('此異常代碼需要選擇根本原因');
    expect(patches).toEqual([]);
    await user.selectOptions(cause, 'RC-RELAY');
    await user.type(screen.getByLabelText('停機時間（分鐘）'), '35');
    await user.click(screen.getByRole('button', { name: '標記為已解決' }));
    await waitFor(() =>
      expect(patches).toEqual([
        { status: 'resolved', resolution_note: '更換繼電器', root_cause_code: 'RC-RELAY', downtime_minutes: 35 },
      ]),
    );
  });

  it('a false alarm needs no root cause and carries no downtime', async () => {
    withCatalog();
    const room = roomWith('OWNER', { event_code: 'E-OVERTEMP' });
    const patches = recordPatches();
    const { user } = await openSettings(room);
    await user.type(await screen.findByLabelText(/處理結果說明/), '感測器誤觸');
    await user.click(await screen.findByLabelText(/誤報/));
    await user.click(screen.getByRole('button', { name: '標記為已解決' }));
    await waitFor(() =>
      expect(patches).toEqual([{ status: 'resolved', resolution_note: '感測器誤觸', false_alarm: true }]),
    );
  });

  it('rooms without an event code resolve with the note alone', async () => {
    withCatalog();
    const room = roomWith('OWNER');
    await openSettings(room);
    expect(screen.queryByLabelText(/根本原因/)).not.toBeInTheDocument();
  });
});
