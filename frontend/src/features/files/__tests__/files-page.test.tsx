import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addMember, db, makeRoom, users } from '@/testing/mocks/db';
import { addFile, filesDb } from '@/testing/mocks/files';
import { FakeXhr } from '@/testing/fake-xhr';
import { renderApp } from '@/testing/test-utils';

const CHEN = users['chen.editor']!.user_id;

function roomWith(role: 'OWNER' | 'EDITOR' | 'VIEWER') {
  const room = makeRoom({ title: '回焊爐溫度異常' });
  db.rooms.push(room);
  addMember(room, 'wang.owner', 'OWNER');
  addMember(room, 'chen.editor', role);
  return room;
}

beforeEach(() => {
  FakeXhr.reset();
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

function rows() {
  return screen.getAllByTestId('file-row');
}

describe('room files page', () => {
  it('lists files newest first with thumbnail or icon, size, uploader name, download; filters by type', async () => {
    const room = roomWith('EDITOR');
    addFile(room.room_id, { filename: '爐溫.png' });
    addFile(room.room_id, { kind: 'document', content_type: 'application/pdf', filename: 'SOP.pdf', uploaded_by: CHEN, size: 2048 });
    const { user } = renderApp(`/rooms/${room.room_id}/files`, { as: 'chen.editor' });
    expect(await screen.findByRole('heading', { name: '檔案' })).toBeInTheDocument();
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(rows()[0]).toHaveTextContent('SOP.pdf');
    expect(rows()[0]).toHaveTextContent('2 KB');
    expect(rows()[0]).toHaveTextContent('你');
    expect(rows()[1]).toHaveTextContent('爐溫.png');
    expect(rows()[1]).toHaveTextContent('王小明');
    expect(within(rows()[1]!).getByRole('button', { name: '開啟圖片 爐溫.png' })).toBeInTheDocument();
    expect(within(rows()[0]!).getByRole('link', { name: '下載 SOP.pdf' })).toHaveAttribute('download', 'SOP.pdf');

    await user.click(screen.getByRole('button', { name: '圖片' }));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]).toHaveTextContent('爐溫.png');
    expect(screen.getByRole('button', { name: '圖片' })).toHaveAttribute('aria-pressed', 'true');
    expect(filesDb.requests.some((r) => r.path.includes('type=image'))).toBe(true);
    await user.click(screen.getByRole('button', { name: '文件' }));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]).toHaveTextContent('SOP.pdf');
  });

  it('an EDITOR deletes only their own files (confirmed); the row goes away', async () => {
    const room = roomWith('EDITOR');
    addFile(room.room_id, { filename: '別人的.png' });
    const mine = addFile(room.room_id, { filename: '我的.png', uploaded_by: CHEN });
    const { user } = renderApp(`/rooms/${room.room_id}/files`, { as: 'chen.editor' });
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(screen.queryByRole('button', { name: '刪除 別人的.png' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '刪除 我的.png' }));
    const dialog = screen.getByRole('alertdialog', { name: '刪除檔案？' });
    expect(dialog).toHaveTextContent('我的.png');
    await user.click(within(dialog).getByRole('button', { name: '刪除' }));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(filesDb.requests.some((r) => r.method === 'DELETE' && r.path.endsWith(mine.file_id))).toBe(true);
  });

  it('an OWNER may delete everyone’s files and upload', async () => {
    const room = roomWith('OWNER');
    addFile(room.room_id, { filename: '別人的.png', uploaded_by: users['huang.tech']!.user_id });
    renderApp(`/rooms/${room.room_id}/files`, { as: 'chen.editor' });
    expect(await screen.findByRole('button', { name: '刪除 別人的.png' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /上傳檔案/ })).toBeInTheDocument();
  });

  it('a VIEWER can download but not delete or upload', async () => {
    const room = roomWith('VIEWER');
    addFile(room.room_id, { filename: '爐溫.png' });
    renderApp(`/rooms/${room.room_id}/files`, { as: 'chen.editor' });
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(screen.getByRole('link', { name: '下載 爐溫.png' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /刪除/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /上傳檔案/ })).not.toBeInTheDocument();
  });

  it('loads more pages', async () => {
    const room = roomWith('EDITOR');
    for (let i = 0; i < 25; i += 1) addFile(room.room_id);
    const { user } = renderApp(`/rooms/${room.room_id}/files`, { as: 'chen.editor' });
    await waitFor(() => expect(rows()).toHaveLength(20));
    await user.click(screen.getByRole('button', { name: '載入更多' }));
    await waitFor(() => expect(rows()).toHaveLength(25));
    expect(screen.queryByRole('button', { name: '載入更多' })).not.toBeInTheDocument();
  });

  it('uploads from the page and shows the new file in the list', async () => {
    const room = roomWith('EDITOR');
    const { user } = renderApp(`/rooms/${room.room_id}/files`, { as: 'chen.editor' });
    expect(await screen.findByTestId('files-empty')).toHaveTextContent('這個事件還沒有檔案。');
    await user.upload(screen.getByTestId('file-input'), new File(['x'], '點檢表.pdf', { type: 'application/pdf' }));
    await waitFor(() => expect(FakeXhr.last()).toBeDefined());
    act(() => FakeXhr.last()!.respond(204));
    await waitFor(() => expect(screen.getByTestId('upload-item')).toHaveAttribute('data-status', 'ready'));
    expect(screen.getByTestId('upload-item')).toHaveTextContent('已上傳');
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]).toHaveTextContent('點檢表.pdf');
  });
});

describe('files deleted elsewhere', () => {
  it('drops the file at once when a file_deleted frame arrives for the room', async () => {
    const { openAppSocket, serverSends } = await import('@/testing/realtime');
    const room = roomWith('VIEWER');
    const gone = addFile(room.room_id, { filename: '待刪除.png' });
    addFile(room.room_id, { filename: '保留.png' });
    renderApp(`/rooms/${room.room_id}/files`, { as: 'chen.editor' });
    await waitFor(() => expect(rows()).toHaveLength(2));
    const socket = await openAppSocket();

    filesDb.files = filesDb.files.filter((f) => f.file_id !== gone.file_id);
    act(() => {
      serverSends(socket, {
        type: 'system', event: 'file_deleted', room_id: room.room_id, user_id: users['wang.owner']!.user_id,
        timestamp: '2025-11-17T10:00:00.000Z', file_id: gone.file_id, filename: '待刪除.png',
        message_id: 'm-1', sequence_number: 9,
      });
    });
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]).toHaveTextContent('保留.png');
  });
});
