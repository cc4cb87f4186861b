import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { addMember, db, makeRoom } from '@/testing/mocks/db';
import { apiError } from '@/testing/mocks/handlers';
import { server } from '@/testing/mocks/server';
import { renderApp } from '@/testing/test-utils';

function memberRoom() {
  const room = makeRoom({ title: 'Line 3 回焊爐溫度異常' });
  db.rooms.push(room);
  addMember(room, 'wang.owner', 'OWNER');
  addMember(room, 'chen.editor', 'VIEWER');
  return room;
}

afterEach(() => vi.restoreAllMocks());

describe('report downloads in the room header', () => {
  it('fetches the PDF with the token and Accept: application/pdf and saves it under the server name', async () => {
    const room = memberRoom();
    const seen: Array<{ accept: string | null; auth: string | null; format: string | null }> = [];
    server.use(
      http.get('*/api/rooms/:roomId/report', ({ request }) => {
        seen.push({
          accept: request.headers.get('Accept'),
          auth: request.headers.get('Authorization'),
          format: new URL(request.url).searchParams.get('format'),
        });
        return new HttpResponse(new Uint8Array([37, 80, 68, 70]), {
          headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': 'attachment; filename="incident-2026-11-30-abc.pdf"' },
        });
      }),
    );
    const created = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:report');
    const saved: string[] = [];
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    const { user } = renderApp(`/rooms/${room.room_id}/members`, { authenticated: true });
    await screen.findByRole('heading', { level: 1, name: room.title });
    const group = screen.getByRole('group', { name: '異常報告' });
    await user.click(within(group).getByRole('button', { name: '下載報告 PDF' }));
    await waitFor(() => expect(clicked).toHaveBeenCalledOnce());
    expect(created).toHaveBeenCalledOnce();
    expect(saved).toEqual(['incident-2026-11-30-abc.pdf']);
    expect(seen).toEqual([{ accept: 'application/pdf', auth: expect.stringMatching(/^Bearer \S+/), format: 'pdf' }]);
    expect(within(group).getByRole('button', { name: '下載報告 Markdown' })).toBeEnabled();
  });

  it('shows the server error when the report is refused', async () => {
    const room = memberRoom();
    server.use(http.get('*/api/rooms/:roomId/report', () => apiError(403, 'forbidden', 'You are not a member of this room')));
    const { user } = renderApp(`/rooms/${room.room_id}/members`, { authenticated: true });
    await screen.findByRole('heading', { level: 1, name: room.title });
    await user.click(screen.getByRole('button', { name: '下載報告 Markdown' }));
    expect(await screen.findByRole('alert')).toBeInTheDocument();
  });
});

describe('/rooms/new from a station QR code', () => {
  it('opens the create-room dialog with the line and station filled in', async () => {
    renderApp('/rooms/new?line_id=L-DB1&station_id=DB-02', { authenticated: true });
    const dialog = await screen.findByRole('dialog', { name: '新增事件' });
    await within(dialog).findByRole('option', { name: '黏晶機 2' });
    expect(within(dialog).getByLabelText('產線')).toHaveValue('L-DB1');
    expect(within(dialog).getByLabelText('站別')).toHaveValue('DB-02');
  });
});
